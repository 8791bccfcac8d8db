package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of comma-separated values the way Go's {@code encoding/csv} reads a record, which is how
 * buildx reads {@code type=registry,ref=...} values: a field may be quoted, and {@code ""} inside quotes is
 * one quote.
 */
final class CsvFields {

  private CsvFields() {}

  /** @throws IllegalArgumentException when a quote is not closed or text follows a closing quote */
  static List<String> split(String line) {
    List<String> fields = new ArrayList<>();
    var field = new StringBuilder();
    int index = 0;
    while (true) {
      if (index < line.length() && line.charAt(index) == '"') {
        index = readQuoted(line, index + 1, field);
        if (index < line.length() && line.charAt(index) != ',') {
          throw new IllegalArgumentException("extraneous text after the closing quote in \"" + line + "\"");
        }
      } else {
        while (index < line.length() && line.charAt(index) != ',') {
          field.append(line.charAt(index));
          index++;
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (index >= line.length()) {
        return fields;
      }
      index++;
    }
  }

  private static int readQuoted(String line, int index, StringBuilder field) {
    while (index < line.length()) {
      char c = line.charAt(index);
      if (c == '"') {
        if (index + 1 < line.length() && line.charAt(index + 1) == '"') {
          field.append('"');
          index += 2;
          continue;
        }
        return index + 1;
      }
      field.append(c);
      index++;
    }
    throw new IllegalArgumentException("missing closing quote in \"" + line + "\"");
  }

  /** Joins fields back into one line, quoting those that contain a comma, a quote or a line break. */
  static String join(List<String> fields) {
    var line = new StringBuilder();
    for (String field : fields) {
      if (!line.isEmpty()) {
        line.append(',');
      }
      if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
        line.append('"').append(field.replace("\"", "\"\"")).append('"');
      } else {
        line.append(field);
      }
    }
    return line.toString();
  }
}
