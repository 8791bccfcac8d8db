package dev.depotrunner.buildkit.filesync;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * One cleaned pattern of a {@link PatternMatcher}, translated the way moby/patternmatcher v0.6.1
 * translates it: an exact name, a prefix ({@code dir/**}), a suffix ({@code **}{@code /name}), or a
 * regular expression in Go's syntax, which re2j parses and matches as Go's {@code regexp} does.
 */
final class MatchPattern {

  private enum Kind {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEXP
  }

  /** Characters that mean something in a regular expression but nothing in a file name pattern. */
  private static final String REGEXP_ONLY_METACHARACTERS = ".+()|{}$";

  private final String text;
  private final boolean exclusion;
  private final Kind kind;
  private final Pattern regexp;
  private final String regexpError;

  MatchPattern(String text, boolean exclusion) {
    this.text = text;
    this.exclusion = exclusion;

    StringBuilder regexpText = new StringBuilder("^");
    this.kind = translate(text, regexpText);
    Pattern compiled = null;
    String error = null;
    if (kind == Kind.REGEXP) {
      regexpText.append('$');
      try {
        compiled = Pattern.compile(regexpText.toString());
      } catch (PatternSyntaxException e) {
        // patternmatcher compiles lazily, so Go reports this only when a path is matched.
        error = e.getMessage();
      }
    }
    this.regexp = compiled;
    this.regexpError = error;
  }

  /** The cleaned pattern without its {@code !}. */
  String text() {
    return text;
  }

  boolean exclusion() {
    return exclusion;
  }

  /** Returns the pattern with a trailing {@code /**} or {@code /*} removed, as fsutil's prefix checks use it. */
  String withoutTrailingGlob() {
    String result = text;
    if (result.endsWith("/**")) {
      result = result.substring(0, result.length() - 3);
    }
    if (result.endsWith("/*")) {
      result = result.substring(0, result.length() - 2);
    }
    return result;
  }

  /**
   * Returns whether the slash-separated path matches this pattern alone.
   *
   * @throws InvalidPatternException if the pattern translated to an invalid regular expression
   */
  boolean matches(String path) throws InvalidPatternException {
    switch (kind) {
      case EXACT:
        return path.equals(text);
      case PREFIX:
        return path.startsWith(text.substring(0, text.length() - 2));
      case SUFFIX:
        String suffix = text.substring(2);
        if (path.endsWith(suffix)) {
          return true;
        }
        // "**/foo" also matches "foo" itself.
        return suffix.charAt(0) == '/' && path.equals(suffix.substring(1));
      case REGEXP:
        if (regexp == null) {
          throw new InvalidPatternException(displayText(), "syntax error in pattern (" + regexpError + ")");
        }
        return regexp.matcher(path).find();
      default:
        throw new AssertionError(kind);
    }
  }

  String displayText() {
    return exclusion ? "!" + text : text;
  }

  /** Appends the pattern's regular expression to {@code out} and returns how the pattern matches. */
  private static Kind translate(String pattern, StringBuilder out) {
    Kind kind = Kind.EXACT;
    int[] chars = pattern.codePoints().toArray();
    int next = 0;
    // Go's text/scanner drops a byte order mark at the start.
    if (chars.length > 0 && chars[0] == 0xFEFF) {
      next = 1;
    }

    for (int i = 0; next < chars.length; i++) {
      int ch = chars[next++];
      if (ch == '*') {
        if (next < chars.length && chars[next] == '*') {
          next++;
          // "**/" counts as "**".
          if (next < chars.length && chars[next] == '/') {
            next++;
          }
          if (next == chars.length) {
            // A trailing "**" matches everything below, as in .gitignore.
            if (kind == Kind.EXACT) {
              kind = Kind.PREFIX;
            } else {
              out.append(".*");
              kind = Kind.REGEXP;
            }
          } else {
            // Any number of path elements, including none.
            out.append("(.*/)?");
            kind = Kind.REGEXP;
          }
          if (i == 0) {
            kind = Kind.SUFFIX;
          }
        } else {
          out.append("[^/]*");
          kind = Kind.REGEXP;
        }
      } else if (ch == '?') {
        out.append("[^/]");
        kind = Kind.REGEXP;
      } else if (ch < 0x80 && REGEXP_ONLY_METACHARACTERS.indexOf(ch) >= 0) {
        out.append('\\').appendCodePoint(ch);
      } else if (ch == '\\') {
        if (next < chars.length) {
          out.append('\\').appendCodePoint(chars[next++]);
          kind = Kind.REGEXP;
        } else {
          out.append('\\');
        }
      } else if (ch == '[' || ch == ']') {
        out.appendCodePoint(ch);
        kind = Kind.REGEXP;
      } else {
        out.appendCodePoint(ch);
      }
    }
    return kind;
  }
}
