package dev.depotrunner.steps.bake;

/** Matches names against patterns as Go's {@code path.Match} does: {@code *}, {@code ?} and {@code [...]}. */
final class Glob {

  private Glob() {}

  static boolean isPattern(String text) {
    return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == ']');
  }

  static boolean matches(String pattern, String name) {
    var regex = new StringBuilder();
    for (int index = 0; index < pattern.length(); index++) {
      char c = pattern.charAt(index);
      switch (c) {
        case '*' -> regex.append("[^/]*");
        case '?' -> regex.append("[^/]");
        case '[' -> {
          int end = pattern.indexOf(']', index + 1);
          if (end < 0) {
            return false;
          }
          String set = pattern.substring(index + 1, end);
          if (set.startsWith("^")) {
            set = "^" + set.substring(1).replace("\\", "\\\\");
          } else {
            set = set.replace("\\", "\\\\");
          }
          regex.append('[').append(set).append(']');
          index = end;
        }
        case '\\' -> {
          if (index + 1 < pattern.length()) {
            regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++index))));
          }
        }
        default -> regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return name.matches(regex.toString());
  }
}
