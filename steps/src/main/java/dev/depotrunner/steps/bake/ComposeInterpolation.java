package dev.depotrunner.steps.bake;

import java.util.Map;

/**
 * Substitutes variables in Compose values as Compose does: {@code $VAR}, {@code ${VAR}},
 * {@code ${VAR:-default}} (unset or empty), {@code ${VAR-default}} (unset), {@code ${VAR:?message}} and
 * {@code ${VAR?message}} (fail), {@code ${VAR:+alternative}} and {@code ${VAR+alternative}}, and {@code $$}
 * for a literal {@code $}. An unset variable without a default is empty.
 */
final class ComposeInterpolation {

  private final Map<String, String> environment;

  ComposeInterpolation(Map<String, String> environment) {
    this.environment = environment;
  }

  /** @throws IllegalArgumentException with the message of a {@code ?} form, or for a malformed {@code ${} */
  String apply(String value) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    var result = new StringBuilder();
    int index = 0;
    while (index < value.length()) {
      char c = value.charAt(index);
      if (c != '$' || index + 1 >= value.length()) {
        result.append(c);
        index++;
        continue;
      }
      char next = value.charAt(index + 1);
      if (next == '$') {
        result.append('$');
        index += 2;
      } else if (next == '{') {
        int end = closingBrace(value, index + 2);
        result.append(expand(value.substring(index + 2, end), value));
        index = end + 1;
      } else if (isNameStart(next)) {
        int end = index + 1;
        while (end < value.length() && isNamePart(value.charAt(end))) {
          end++;
        }
        result.append(environment.getOrDefault(value.substring(index + 1, end), ""));
        index = end;
      } else {
        result.append(c);
        index++;
      }
    }
    return result.toString();
  }

  private static int closingBrace(String value, int from) {
    int depth = 1;
    for (int index = from; index < value.length(); index++) {
      char c = value.charAt(index);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return index;
      }
    }
    throw new IllegalArgumentException("invalid interpolation format for \"" + value + "\": a ${ is not closed with }");
  }

  private String expand(String expression, String value) {
    int nameEnd = 0;
    while (nameEnd < expression.length() && isNamePart(expression.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = expression.substring(0, nameEnd);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("invalid interpolation format for \"" + value + "\": ${" + expression
          + "} names no variable; use ${NAME} or $$ for a literal $");
    }
    String operator = expression.substring(nameEnd);
    String current = environment.get(name);
    boolean set = current != null;
    boolean nonEmpty = set && !current.isEmpty();

    if (operator.isEmpty()) {
      return set ? current : "";
    }
    if (operator.startsWith(":-")) {
      return nonEmpty ? current : apply(operator.substring(2));
    }
    if (operator.startsWith("-")) {
      return set ? current : apply(operator.substring(1));
    }
    if (operator.startsWith(":?")) {
      if (!nonEmpty) {
        throw new IllegalArgumentException("required variable " + name + " is missing a value: " + apply(operator.substring(2)));
      }
      return current;
    }
    if (operator.startsWith("?")) {
      if (!set) {
        throw new IllegalArgumentException("required variable " + name + " is missing a value: " + apply(operator.substring(1)));
      }
      return current;
    }
    if (operator.startsWith(":+")) {
      return nonEmpty ? apply(operator.substring(2)) : "";
    }
    if (operator.startsWith("+")) {
      return set ? apply(operator.substring(1)) : "";
    }
    throw new IllegalArgumentException("invalid interpolation format for \"" + value + "\": unknown operator in ${"
        + expression + "}; use :-, -, :?, ?, :+ or +");
  }

  private static boolean isNameStart(char c) {
    return c == '_' || Character.isLetter(c);
  }

  private static boolean isNamePart(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }
}
