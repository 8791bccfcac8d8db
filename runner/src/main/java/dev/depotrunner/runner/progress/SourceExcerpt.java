package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.SourceLocation.LineRange;
import java.nio.charset.StandardCharsets;

/**
 * Prints the lines of a Dockerfile that an error or warning points to, with line numbers and the
 * pointed lines marked {@code >>>}, as BuildKit's errdefs.Source.Print does:
 *
 * <pre>
 * Dockerfile:4
 * --------------------
 *    3 |
 *    4 | >>> RUN false
 *    5 |
 * --------------------
 * </pre>
 */
final class SourceExcerpt {

  private static final String RULE = "--------------------\n";

  private SourceExcerpt() {}

  /** Prints the excerpt, or nothing when the location has no ranges or points past the file. */
  static void print(SourceLocation source, TextOutput out) {
    if (source == null || source.ranges().isEmpty()) {
      return;
    }
    String[] lines = new String(source.data(), StandardCharsets.UTF_8).split("\n", -1);

    int start = Integer.MAX_VALUE;
    int end = 0;
    for (LineRange range : source.ranges()) {
      start = Math.min(start, range.startLine());
      end = Math.max(end, Math.max(range.startLine(), range.endLine()));
    }
    if (start > lines.length || start < 1) {
      return;
    }
    end = Math.min(end, lines.length);

    // Show context around the range: about two lines for one line, one line for several.
    int padding = end == start ? 4 : 2;
    int firstLine = start;
    for (int padded = 0; padded < padding; padded++) {
      if (start > 1) {
        start--;
        padded++;
      }
      if (end != lines.length) {
        end++;
        padded++;
      }
    }

    StringBuilder text = new StringBuilder();
    text.append(source.filename()).append(':').append(firstLine).append('\n').append(RULE);
    for (int line = start; line <= end; line++) {
      String marker = contains(source, line) ? ">>>" : "   ";
      text.append(String.format(" %3d | %s ", line, marker)).append(lines[line - 1]).append('\n');
    }
    text.append(RULE);
    out.print(text.toString());
  }

  private static boolean contains(SourceLocation source, int line) {
    for (LineRange range : source.ranges()) {
      int rangeEnd = Math.max(range.startLine(), range.endLine());
      if (range.startLine() <= line && rangeEnd >= line) {
        return true;
      }
    }
    return false;
  }
}
