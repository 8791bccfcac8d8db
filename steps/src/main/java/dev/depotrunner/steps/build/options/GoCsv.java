package dev.depotrunner.steps.build.options;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the first record of a CSV text the way Go's {@code encoding/csv} Reader does with its default
 * settings (comma separator, no comment character, strict quotes, leading spaces kept). buildx reads
 * every CSV-valued flag ({@code --output}, {@code --cache-to}, {@code --attest}, ...) this way, so quoting
 * rules must match it exactly:
 *
 * <ul>
 *   <li>a field is quoted only when its first character is {@code "}; inside it {@code ""} is one quote and
 *       commas and newlines are literal;
 *   <li>a quote inside an unquoted field, or text after a closing quote, is an error;
 *   <li>leading empty lines are skipped, {@code \r\n} counts as {@code \n}, and only the first record is
 *       read, so text after an unquoted newline is ignored.
 * </ul>
 */
final class GoCsv {

  private GoCsv() {}

  /** A CSV syntax error; the message names the problem and its 1-based position in the input. */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message);
    }
  }

  /** Returns the fields of the first record of {@code input}. */
  static List<String> readRecord(String input) throws SyntaxException {
    var lines = new LineReader(input);

    String line = lines.next();
    while (line != null && (line.isEmpty() || line.equals("\n"))) {
      line = lines.next();
    }
    if (line == null) {
      throw new SyntaxException("the value is empty");
    }

    List<String> fields = new ArrayList<>();
    var field = new StringBuilder();
    int pos = 0;
    while (true) {
      if (pos >= line.length() || line.charAt(pos) != '"') {
        int comma = line.indexOf(',', pos);
        int end = comma >= 0 ? comma : line.length() - newlineLength(line);
        int quote = line.indexOf('"', pos);
        if (quote >= 0 && quote < end) {
          throw new SyntaxException(
              "bare \" in a non-quoted field at position " + lines.positionOf(quote)
                  + "; quote the whole field and double the quotes inside it");
        }
        fields.add(line.substring(pos, end));
        if (comma < 0) {
          return fields;
        }
        pos = comma + 1;
        continue;
      }

      // A quoted field, which may run across lines.
      pos++;
      field.setLength(0);
      while (true) {
        int quote = line.indexOf('"', pos);
        if (quote >= 0) {
          field.append(line, pos, quote);
          pos = quote + 1;
          if (pos < line.length() && line.charAt(pos) == '"') {
            field.append('"');
            pos++;
          } else if (pos < line.length() && line.charAt(pos) == ',') {
            fields.add(field.toString());
            pos++;
            break;
          } else if (pos == line.length() - newlineLength(line.substring(pos))) {
            fields.add(field.toString());
            return fields;
          } else {
            throw new SyntaxException(
                "extraneous \" in a quoted field at position " + lines.positionOf(quote)
                    + "; write a quote inside quotes as \"\"");
          }
        } else if (pos < line.length()) {
          field.append(line, pos, line.length());
          line = lines.next();
          pos = 0;
          if (line == null) {
            throw new SyntaxException("missing closing \" in a quoted field");
          }
        } else {
          throw new SyntaxException("missing closing \" in a quoted field");
        }
      }
    }
  }

  private static int newlineLength(String text) {
    return text.endsWith("\n") ? 1 : 0;
  }

  /** Splits the input into lines that keep their {@code \n}, normalized as Go's reader does. */
  private static final class LineReader {
    private final String input;
    private int next;
    private int lineStart;

    LineReader(String input) {
      this.input = input;
    }

    /** Returns the next line including its {@code \n}, or null at the end of the input. */
    String next() {
      if (next >= input.length()) {
        return null;
      }
      lineStart = next;
      int newline = input.indexOf('\n', next);
      String line;
      if (newline < 0) {
        line = input.substring(next);
        next = input.length();
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
      } else {
        line = input.substring(next, newline + 1);
        next = newline + 1;
        if (line.endsWith("\r\n")) {
          line = line.substring(0, line.length() - 2) + "\n";
        }
      }
      return line;
    }

    /** Returns the 1-based position in the whole input of an index into the current line. */
    int positionOf(int indexInLine) {
      return lineStart + indexInLine + 1;
    }
  }
}
