package dev.depotrunner.buildkit.progress;

import java.util.List;

/**
 * A place in a source file that a warning or an error points to, with the file's bytes so that an
 * excerpt can be shown.
 *
 * @param filename as the frontend names it, usually the Dockerfile's name relative to its folder
 * @param language the file's language as the frontend names it, such as {@code Dockerfile}, or empty
 * @param ranges the parts of the file that the warning or error is about
 */
public record SourceLocation(String filename, String language, byte[] data, List<LineRange> ranges) {

  public SourceLocation {
    ranges = List.copyOf(ranges);
  }

  public SourceLocation(String filename, byte[] data, List<LineRange> ranges) {
    this(filename, "", data, ranges);
  }

  /**
   * A range of lines, 1-based and inclusive. Characters are 0 when the frontend points at whole
   * lines, which the Dockerfile frontend usually does.
   */
  public record LineRange(int startLine, int endLine, int startCharacter, int endCharacter) {

    public LineRange(int startLine, int endLine) {
      this(startLine, endLine, 0, 0);
    }
  }
}
