package dev.depotrunner.buildkit.filesync;

/**
 * Slash-separated path and string operations with the exact results of Go's {@code path.Clean},
 * {@code path.Dir}, {@code strings.TrimSpace} and string ordering, because fsutil and patternmatcher
 * apply them to every pattern and path that crosses the wire.
 */
final class GoPath {

  private GoPath() {}

  /** Returns the shortest path equivalent to {@code path}, by the rules of Go's {@code path.Clean}. */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    int n = path.length();
    StringBuilder out = new StringBuilder(n);
    int r = 0;
    int dotdot = 0;
    if (rooted) {
      out.append('/');
      r = 1;
      dotdot = 1;
    }

    while (r < n) {
      char c = path.charAt(r);
      if (c == '/') {
        r++;
      } else if (c == '.' && (r + 1 == n || path.charAt(r + 1) == '/')) {
        r++;
      } else if (c == '.' && path.charAt(r + 1) == '.' && (r + 2 == n || path.charAt(r + 2) == '/')) {
        r += 2;
        if (out.length() > dotdot) {
          // Remove the last element written.
          int w = out.length() - 1;
          while (w > dotdot && out.charAt(w) != '/') {
            w--;
          }
          out.setLength(w);
        } else if (!rooted) {
          if (out.length() > 0) {
            out.append('/');
          }
          out.append("..");
          dotdot = out.length();
        }
      } else {
        if ((rooted && out.length() != 1) || (!rooted && out.length() != 0)) {
          out.append('/');
        }
        while (r < n && path.charAt(r) != '/') {
          out.append(path.charAt(r));
          r++;
        }
      }
    }

    if (out.length() == 0) {
      return ".";
    }
    return out.toString();
  }

  /** Returns all but the last element of a path, cleaned, as Go's {@code path.Dir} does. */
  static String dir(String path) {
    int slash = path.lastIndexOf('/');
    return clean(path.substring(0, slash + 1));
  }

  /** Returns the last element of a clean relative path. */
  static String base(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Joins elements with slashes and cleans the result, ignoring empty elements, as Go's {@code path.Join}. */
  static String join(String first, String second) {
    if (first.isEmpty()) {
      return second.isEmpty() ? "" : clean(second);
    }
    if (second.isEmpty()) {
      return clean(first);
    }
    return clean(first + "/" + second);
  }

  /**
   * Compares two strings in Go's order: by UTF-8 bytes, which is Unicode code point order. Java's
   * {@link String#compareTo} differs from it when a supplementary character meets a character from
   * U+E000 to U+FFFF.
   */
  static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean xSurrogate = Character.isSurrogate(x);
        boolean ySurrogate = Character.isSurrogate(y);
        if (xSurrogate != ySurrogate) {
          return xSurrogate ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /** Removes leading and trailing white space as Go's {@code strings.TrimSpace} defines it. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end) {
      int c = s.codePointAt(start);
      if (!isSpace(c)) {
        break;
      }
      start += Character.charCount(c);
    }
    while (end > start) {
      int c = s.codePointBefore(end);
      if (!isSpace(c)) {
        break;
      }
      end -= Character.charCount(c);
    }
    return s.substring(start, end);
  }

  /** Returns whether Go's {@code unicode.IsSpace} holds: Unicode White_Space, which Java's isWhitespace is not. */
  static boolean isSpace(int c) {
    if (c <= 0xFF) {
      return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
    }
    return c == 0x1680
        || (c >= 0x2000 && c <= 0x200A)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }
}
