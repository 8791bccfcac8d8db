package dev.depotrunner.runner.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * Writes listings in the Depot CLI's non-interactive formats and a plain aligned table. CSV is
 * written as Go's encoding/csv writes it, with a header row only when there are rows. JSON is an
 * array of objects with string or number values, as Go's encoding/json encoder with two-space
 * indentation writes it.
 */
final class Listings {

  private Listings() {}

  static void writeCsv(PrintStream out, List<String> header, List<List<String>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    out.println(csvLine(header));
    for (List<String> row : rows) {
      out.println(csvLine(row));
    }
  }

  static void writeJson(PrintStream out, List<String> keys, List<List<String>> rows) {
    writeJsonValues(out, keys, rows);
  }

  /** Writes rows whose cells are strings or numbers; numbers are written bare, as JSON numbers. */
  static void writeJsonValues(PrintStream out, List<String> keys, List<? extends List<?>> rows) {
    if (rows.isEmpty()) {
      out.println("[]");
      return;
    }
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < rows.size(); i++) {
      json.append("  {\n");
      List<?> row = rows.get(i);
      for (int k = 0; k < keys.size(); k++) {
        Object cell = row.get(k);
        String value = cell instanceof Number ? cell.toString() : jsonString(String.valueOf(cell));
        json.append("    ").append(jsonString(keys.get(k))).append(": ")
            .append(value).append(k + 1 < keys.size() ? ",\n" : "\n");
      }
      json.append(i + 1 < rows.size() ? "  },\n" : "  }\n");
    }
    out.println(json.append("]"));
  }

  static void writeTable(PrintStream out, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int k = 0; k < header.size(); k++) {
      widths[k] = header.get(k).length();
      for (List<String> row : rows) {
        widths[k] = Math.max(widths[k], row.get(k).length());
      }
    }
    out.println(tableLine(header, widths));
    for (List<String> row : rows) {
      out.println(tableLine(row, widths));
    }
  }

  private static String tableLine(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int k = 0; k < cells.size(); k++) {
      String cell = cells.get(k);
      line.append(cell);
      if (k + 1 < cells.size()) {
        line.append(" ".repeat(widths[k] - cell.length() + 3));
      }
    }
    return line.toString();
  }

  /** Quotes a field as Go's csv.Writer does: when it has a comma, quote, CR, LF or a leading space. */
  private static String csvLine(List<String> fields) {
    StringBuilder line = new StringBuilder();
    for (int k = 0; k < fields.size(); k++) {
      String field = fields.get(k);
      boolean quote = !field.isEmpty() && (field.indexOf(',') >= 0 || field.indexOf('"') >= 0
          || field.indexOf('\r') >= 0 || field.indexOf('\n') >= 0
          || field.charAt(0) == ' ' || field.charAt(0) == '\t');
      if (k > 0) {
        line.append(',');
      }
      line.append(quote ? "\"" + field.replace("\"", "\"\"") + "\"" : field);
    }
    return line.toString();
  }

  /** Escapes a string as Go's encoding/json does by default, HTML characters included. */
  static String jsonString(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> json.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }
}
