package dev.depotrunner.steps.bake;

/**
 * A bake file that cannot be read, parsed or resolved. The message starts with the file, line and column
 * ({@code docker-bake.hcl:3:9: }) when the problem has a position, and then states what to fix.
 */
public class BakeFileException extends Exception {

  private final String file;
  private final int line;
  private final int column;

  /** Creates a problem at a position; {@code line} and {@code column} count from 1. */
  public BakeFileException(String file, int line, int column, String message) {
    super(file + ":" + line + ":" + column + ": " + message);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** Creates a problem with a whole file, or with no file at all when {@code file} is null. */
  public BakeFileException(String file, String message) {
    super(file == null ? message : file + ": " + message);
    this.file = file;
    this.line = 0;
    this.column = 0;
  }

  /** Returns the file the problem is in, or null. */
  public String file() {
    return file;
  }

  /** Returns the line, from 1, or 0 when the problem has no position. */
  public int line() {
    return line;
  }

  /** Returns the column, from 1, or 0 when the problem has no position. */
  public int column() {
    return column;
  }
}
