package dev.depotrunner.buildkit.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * containerd's filter expressions for List and ListStatuses: {@code fieldpath[(==|!=|~=)value]}
 * selectors joined by commas, all of which must match. A request's filters match an item if any one
 * of them does, and no filters match everything.
 *
 * <p>Field path parts and values may be quoted with {@code "}, {@code /} or {@code |}, with backslash
 * escapes for the quote, the backslash, {@code n} and {@code t}.
 */
final class Filters {

  /** Looks up a field path on an item, returning empty if the item lacks the field. */
  interface Adaptor extends Function<List<String>, Optional<String>> {}

  private enum Operator {
    PRESENT,
    EQUAL,
    NOT_EQUAL,
    MATCHES
  }

  private record Selector(List<String> fieldPath, Operator operator, String value, Pattern pattern) {

    boolean matches(Adaptor adaptor) {
      Optional<String> field = adaptor.apply(fieldPath);
      return switch (operator) {
        case PRESENT -> field.isPresent();
        case EQUAL -> field.isPresent() && field.get().equals(value);
        // containerd compares a missing field as the empty string here.
        case NOT_EQUAL -> !field.orElse("").equals(value);
        case MATCHES -> pattern.matcher(field.orElse("")).find();
      };
    }
  }

  private final List<List<Selector>> alternatives;

  private Filters(List<List<Selector>> alternatives) {
    this.alternatives = alternatives;
  }

  /** Parses the filters of one request, or throws {@link StoreException} (invalid argument) on bad syntax. */
  static Filters parse(List<String> filters) throws StoreException {
    List<List<Selector>> alternatives = new ArrayList<>();
    for (String filter : filters) {
      alternatives.add(new Parser(filter).selectors());
    }
    return new Filters(alternatives);
  }

  boolean matches(Adaptor adaptor) {
    if (alternatives.isEmpty()) {
      return true;
    }
    for (List<Selector> selectors : alternatives) {
      if (selectors.stream().allMatch(selector -> selector.matches(adaptor))) {
        return true;
      }
    }
    return false;
  }

  private static final class Parser {
    private final String input;
    private int position;

    Parser(String input) {
      this.input = input;
    }

    List<Selector> selectors() throws StoreException {
      List<Selector> selectors = new ArrayList<>();
      if (input.isEmpty()) {
        return selectors;
      }
      selectors.add(selector());
      while (position < input.length()) {
        expect(',');
        selectors.add(selector());
      }
      return selectors;
    }

    private Selector selector() throws StoreException {
      List<String> fieldPath = new ArrayList<>();
      fieldPath.add(field());
      while (peek() == '.') {
        position++;
        fieldPath.add(field());
      }

      Operator operator = operator();
      if (operator == Operator.PRESENT) {
        return new Selector(fieldPath, operator, "", null);
      }

      String value = value();
      Pattern pattern = null;
      if (operator == Operator.MATCHES) {
        try {
          pattern = Pattern.compile(value);
        } catch (PatternSyntaxException e) {
          throw StoreException.invalidArgument("invalid regular expression in filter \"" + input + "\": " + e.getDescription());
        }
      }
      return new Selector(fieldPath, operator, value, pattern);
    }

    private String field() throws StoreException {
      if (isQuote(peek())) {
        return quoted();
      }
      int start = position;
      while (position < input.length() && isFieldCharacter(input.charAt(position), position == start)) {
        position++;
      }
      if (position == start) {
        throw syntaxError("expected a field name");
      }
      return input.substring(start, position);
    }

    private Operator operator() throws StoreException {
      if (position >= input.length() || peek() == ',') {
        return Operator.PRESENT;
      }
      if (position + 1 >= input.length() || input.charAt(position + 1) != '=') {
        throw syntaxError("expected ==, != or ~=");
      }
      Operator operator = switch (peek()) {
        case '=' -> Operator.EQUAL;
        case '!' -> Operator.NOT_EQUAL;
        case '~' -> Operator.MATCHES;
        default -> throw syntaxError("expected ==, != or ~=");
      };
      position += 2;
      return operator;
    }

    private String value() throws StoreException {
      if (isQuote(peek())) {
        return quoted();
      }
      int start = position;
      while (position < input.length() && input.charAt(position) != ',' && !Character.isWhitespace(input.charAt(position))) {
        position++;
      }
      if (position == start) {
        throw syntaxError("expected a value");
      }
      return input.substring(start, position);
    }

    private String quoted() throws StoreException {
      char quote = input.charAt(position++);
      var value = new StringBuilder();
      while (true) {
        if (position >= input.length()) {
          throw syntaxError("quoted literal not terminated");
        }
        char c = input.charAt(position++);
        if (c == quote) {
          return value.toString();
        }
        if (c != '\\') {
          value.append(c);
          continue;
        }
        if (position >= input.length()) {
          throw syntaxError("quoted literal not terminated");
        }
        char escaped = input.charAt(position++);
        switch (escaped) {
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          default -> {
            if (escaped != '\\' && escaped != quote) {
              throw syntaxError("unsupported escape \\" + escaped);
            }
            value.append(escaped);
          }
        }
      }
    }

    private void expect(char c) throws StoreException {
      if (peek() != c) {
        throw syntaxError("expected '" + c + "'");
      }
      position++;
    }

    private char peek() {
      return position < input.length() ? input.charAt(position) : '\0';
    }

    private StoreException syntaxError(String problem) {
      return StoreException.invalidArgument(
          "invalid filter \"" + input + "\" at position " + position + ": " + problem);
    }

    private static boolean isQuote(char c) {
      return c == '"' || c == '/' || c == '|';
    }

    private static boolean isFieldCharacter(char c, boolean first) {
      if (first) {
        return Character.isLetter(c);
      }
      return Character.isLetterOrDigit(c) || c == '_';
    }
  }
}
