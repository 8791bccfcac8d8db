package dev.depotrunner.buildkit.filesync;

/**
 * Shell file name patterns with the semantics of Go's {@code path/filepath.Match} on Unix: {@code *},
 * {@code ?}, {@code [...]} classes with {@code ^} negation and ranges, and {@code \} escapes.
 *
 * <p>patternmatcher rejects a pattern exactly when {@code filepath.Match(pattern, ".")} returns
 * {@code ErrBadPattern}, and fsutil expands wildcards in follow paths with {@code filepath.Match}.
 */
final class GoGlob {

  private GoGlob() {}

  /** Returns whether Go's {@code filepath.Match} accepts the pattern's syntax. */
  static boolean isValid(String pattern) {
    String rest = pattern;
    while (!rest.isEmpty()) {
      Chunk chunk = scanChunk(rest);
      rest = chunk.rest;
      if (matchChunk(chunk.text, "") == ERROR) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns whether {@code name} matches the whole pattern.
   *
   * @throws IllegalArgumentException if the pattern is malformed
   */
  static boolean matches(String pattern, String name) {
    String rest = pattern;
    outer:
    while (!rest.isEmpty()) {
      Chunk chunk = scanChunk(rest);
      rest = chunk.rest;
      if (chunk.star && chunk.text.isEmpty()) {
        // A trailing star matches the rest of the name unless it contains a slash.
        return name.indexOf('/') < 0;
      }

      int matched = matchChunk(chunk.text, name);
      if (matched >= 0 && (matched == name.length() || !rest.isEmpty())) {
        name = name.substring(matched);
        continue;
      }
      if (matched == ERROR) {
        throw new IllegalArgumentException("syntax error in pattern");
      }
      if (chunk.star) {
        // The star may absorb any run of characters up to the next slash.
        for (int i = 0; i < name.length() && name.charAt(i) != '/'; i++) {
          String tail = name.substring(i + 1);
          int end = matchChunk(chunk.text, tail);
          if (end >= 0) {
            if (rest.isEmpty() && end < tail.length()) {
              continue;
            }
            name = tail.substring(end);
            continue outer;
          }
          if (end == ERROR) {
            throw new IllegalArgumentException("syntax error in pattern");
          }
        }
      }

      // Before returning false, Go checks that the rest of the pattern is well-formed.
      if (!isValid(rest)) {
        throw new IllegalArgumentException("syntax error in pattern");
      }
      return false;
    }
    return name.isEmpty();
  }

  private record Chunk(boolean star, String text, String rest) {}

  /** Splits off the next run of non-star pattern characters, noting whether stars preceded it. */
  private static Chunk scanChunk(String pattern) {
    boolean star = false;
    int start = 0;
    while (start < pattern.length() && pattern.charAt(start) == '*') {
      start++;
      star = true;
    }
    boolean inRange = false;
    int i = start;
    scan:
    for (; i < pattern.length(); i++) {
      switch (pattern.charAt(i)) {
        case '\\':
          if (i + 1 < pattern.length()) {
            i++;
          }
          break;
        case '[':
          inRange = true;
          break;
        case ']':
          inRange = false;
          break;
        case '*':
          if (!inRange) {
            break scan;
          }
          break;
        default:
          break;
      }
    }
    return new Chunk(star, pattern.substring(start, i), pattern.substring(i));
  }

  private static final int NO_MATCH = -1;
  private static final int ERROR = -2;

  /**
   * Matches a chunk against the start of {@code s}. Returns the length of {@code s} consumed,
   * {@link #NO_MATCH}, or {@link #ERROR} for a malformed chunk; like Go, it checks the whole chunk's
   * syntax even after the match has failed.
   */
  private static int matchChunk(String chunk, String s) {
    boolean failed = false;
    int c = 0;
    int pos = 0;
    while (c < chunk.length()) {
      if (!failed && pos == s.length()) {
        failed = true;
      }
      char ch = chunk.charAt(c);
      if (ch == '[') {
        int r = -1;
        if (!failed) {
          r = s.codePointAt(pos);
          pos += Character.charCount(r);
        }
        c++;
        boolean negated = false;
        if (c < chunk.length() && chunk.charAt(c) == '^') {
          negated = true;
          c++;
        }
        boolean match = false;
        int ranges = 0;
        while (true) {
          if (c < chunk.length() && chunk.charAt(c) == ']' && ranges > 0) {
            c++;
            break;
          }
          long lo = escapedChar(chunk, c);
          if (lo < 0) {
            return ERROR;
          }
          c = (int) (lo >>> 32);
          int low = (int) lo;
          int high = low;
          if (chunk.charAt(c) == '-') {
            long hi = escapedChar(chunk, c + 1);
            if (hi < 0) {
              return ERROR;
            }
            c = (int) (hi >>> 32);
            high = (int) hi;
          }
          if (low <= r && r <= high) {
            match = true;
          }
          ranges++;
        }
        if (match == negated) {
          failed = true;
        }
      } else if (ch == '?') {
        if (!failed) {
          if (s.charAt(pos) == '/') {
            failed = true;
          }
          pos += Character.charCount(s.codePointAt(pos));
        }
        c++;
      } else {
        if (ch == '\\') {
          c++;
          if (c == chunk.length()) {
            return ERROR;
          }
        }
        int literal = chunk.codePointAt(c);
        if (!failed) {
          if (s.codePointAt(pos) != literal) {
            failed = true;
          }
          pos += Character.charCount(s.codePointAt(pos));
        }
        c += Character.charCount(literal);
      }
    }
    return failed ? NO_MATCH : pos;
  }

  /**
   * Reads a possibly escaped character of a class at {@code c}, as Go's {@code getEsc}. Returns the
   * next index in the high 32 bits and the code point in the low 32 bits, or -1 if malformed.
   */
  private static long escapedChar(String chunk, int c) {
    if (c >= chunk.length() || chunk.charAt(c) == '-' || chunk.charAt(c) == ']') {
      return -1;
    }
    if (chunk.charAt(c) == '\\') {
      c++;
      if (c >= chunk.length()) {
        return -1;
      }
    }
    int r = chunk.codePointAt(c);
    if (Character.isSurrogate((char) r)) {
      // An unpaired surrogate is Java's form of Go's invalid UTF-8.
      return -1;
    }
    c += Character.charCount(r);
    if (c >= chunk.length()) {
      return -1;
    }
    return ((long) c << 32) | (r & 0xFFFFFFFFL);
  }
}
