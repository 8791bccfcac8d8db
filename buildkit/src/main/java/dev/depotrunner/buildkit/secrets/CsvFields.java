package dev.depotrunner.buildkit.secrets;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of comma-separated values with the rules buildx applies to flag values
 * (tonistiigi/go-csvvalue with default settings): a field may be quoted with {@code "}, a quote
 * inside a quoted field is written {@code ""}, and a quote inside an unquoted field is an error.
 */
final class CsvFields {

  private CsvFields() {}

  /**
   * Returns the fields of {@code line}, without one trailing line break. An empty line has no
   * fields.
   *
   * @throws IllegalArgumentException for a stray or unclosed quote, naming its column
   */
  static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    if (line.endsWith("\r\n")) {
      line = line.substring(0, line.length() - 2);
    } else if (line.endsWith("\n")) {
      line = line.substring(0, line.length() - 1);
    }
    if (line.isEmpty()) {
      return fields;
    }

    int position = 0;
    while (true) {
      if (position >= line.length() || line.charAt(position) != '"') {
        int comma = line.indexOf(',', position);
        String field = comma < 0 ? line.substring(position) : line.substring(position, comma);
        int quote = field.indexOf('"');
        if (quote >= 0) {
          throw new IllegalArgumentException(
              "bare \" in non-quoted field at column " + (position + quote + 1));
        }
        fields.add(field);
        if (comma < 0) {
          return fields;
        }
        position = comma + 1;
        continue;
      }

      // A quoted field runs to the next quote that is not doubled.
      var field = new StringBuilder();
      int start = position;
      position++;
      while (true) {
        int quote = line.indexOf('"', position);
        if (quote < 0) {
          throw new IllegalArgumentException(
              "extraneous or missing \" in quoted field starting at column " + (start + 1));
        }
        field.append(line, position, quote);
        position = quote + 1;
        if (position < line.length() && line.charAt(position) == '"') {
          field.append('"');
          position++;
          continue;
        }
        break;
      }
      fields.add(field.toString());

      if (position >= line.length()) {
        return fields;
      }
      if (line.charAt(position) != ',') {
        throw new IllegalArgumentException(
            "extraneous or missing \" in quoted field starting at column " + (start + 1));
      }
      position++;
    }
  }
}
