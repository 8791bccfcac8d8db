package dev.depotrunner.buildkit.filesync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads .dockerignore files the way moby/patternmatcher's {@code ignorefile.ReadAll} (v0.6.1) does,
 * which is how the Dockerfile frontend reads them before it sends the patterns to the client as
 * {@code exclude-patterns}.
 *
 * <p>A UTF-8 byte order mark on the first line is dropped, lines starting with {@code #} are comments,
 * each other line is trimmed, blank lines are skipped, and a pattern (after an optional {@code !}) is
 * cleaned like a path with one leading {@code /} removed.
 */
public final class DockerIgnore {

  /** Go's {@code bufio.Scanner} fails on a line of this many bytes or more. */
  private static final int MAX_LINE_BYTES = 64 * 1024;

  private DockerIgnore() {}

  /** Reads the patterns of a .dockerignore file. */
  public static List<String> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (IOException e) {
      throw new IOException("failed to read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the patterns of a .dockerignore file from a stream, which the caller closes. */
  public static List<String> read(InputStream in) throws IOException {
    return parse(in.readAllBytes());
  }

  /** Parses the content of a .dockerignore file. */
  public static List<String> parse(String content) {
    try {
      return parse(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static List<String> parse(byte[] content) throws IOException {
    List<String> patterns = new ArrayList<>();
    int start = 0;
    int lineNumber = 0;
    while (start < content.length) {
      int end = indexOf(content, (byte) '\n', start);
      int next = end < 0 ? content.length : end + 1;
      int lineEnd = end < 0 ? content.length : end;
      if (lineEnd - start >= MAX_LINE_BYTES) {
        throw new IOException("line " + (lineNumber + 1) + " is longer than " + (MAX_LINE_BYTES - 1) + " bytes");
      }

      // Like bufio.ScanLines, drop one carriage return before the newline.
      if (lineEnd > start && content[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      byte[] line = Arrays.copyOfRange(content, start, lineEnd);
      if (lineNumber == 0) {
        line = withoutByteOrderMark(line);
      }
      lineNumber++;
      start = next;

      String pattern = parseLine(new String(line, StandardCharsets.UTF_8));
      if (pattern != null) {
        patterns.add(pattern);
      }
    }
    return patterns;
  }

  /** Returns the pattern on one line, or null for a comment or a blank line. */
  private static String parseLine(String line) {
    // A comment is recognized before trimming, so " #x" is a pattern.
    if (line.startsWith("#")) {
      return null;
    }
    String pattern = GoPath.trimSpace(line);
    if (pattern.isEmpty()) {
      return null;
    }

    boolean invert = pattern.charAt(0) == '!';
    if (invert) {
      pattern = GoPath.trimSpace(pattern.substring(1));
    }
    if (!pattern.isEmpty()) {
      pattern = GoPath.clean(pattern);
      if (pattern.length() > 1 && pattern.charAt(0) == '/') {
        pattern = pattern.substring(1);
      }
    }
    return invert ? "!" + pattern : pattern;
  }

  private static byte[] withoutByteOrderMark(byte[] line) {
    if (line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
      return Arrays.copyOfRange(line, 3, line.length);
    }
    return line;
  }

  private static int indexOf(byte[] content, byte value, int from) {
    for (int i = from; i < content.length; i++) {
      if (content[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
