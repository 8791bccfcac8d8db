package dev.depotrunner.hcl;

/** A place in a source file; {@code line} and {@code column} count from 1, columns in characters. */
public record Position(String file, int line, int column) {

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
