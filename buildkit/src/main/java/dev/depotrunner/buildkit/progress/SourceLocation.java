package dev.depotrunner.buildkit.progress;

import java.util.List;

/**
 * A place in a source file that a warning or an error points to, with the file's bytes so that an
 * excerpt can be shown.
 *
 * @param filename as the frontend names it, usually the Dockerfile's name relative to its folder
 * @param ranges 1-based line ranges
 */
public record SourceLocation(String filename, byte[] data, List<LineRange> ranges) {

  public SourceLocation {
    ranges = List.copyOf(ranges);
  }

  /** A 1-based, inclusive range of lines. */
  public record LineRange(int startLine, int endLine) {}
}
