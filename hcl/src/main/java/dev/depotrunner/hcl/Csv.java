package dev.depotrunner.hcl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code csvdecode}: RFC 4180 CSV whose first row names the columns, as a list of objects of strings. */
final class Csv {

  private Csv() {}

  static Object decode(String text) throws ValueException {
    List<List<String>> rows = parse(text);
    if (rows.isEmpty()) {
      throw new ValueException(0, "missing header line");
    }
    List<String> header = rows.get(0);
    List<Object> records = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() != header.size()) {
        throw new ValueException(0, "record on line " + (r + 1) + ": wrong number of fields");
      }
      Map<String, Object> record = new LinkedHashMap<>();
      for (int c = 0; c < header.size(); c++) {
        record.put(header.get(c), row.get(c));
      }
      records.add(record);
    }
    return records;
  }

  private static List<List<String>> parse(String text) throws ValueException {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    boolean fieldStarted = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"' && field.length() == 0 && !fieldStarted) {
        fieldStarted = true;
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new ValueException(0, "unterminated quoted field; close it with \"");
          }
          char q = text.charAt(i);
          if (q == '"') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field.append(q);
          i++;
        }
        continue;
      }
      if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
        fieldStarted = false;
        i++;
        continue;
      }
      if (c == '\r' || c == '\n') {
        row.add(field.toString());
        field.setLength(0);
        fieldStarted = false;
        if (!(row.size() == 1 && row.get(0).isEmpty())) {
          rows.add(row);
        }
        row = new ArrayList<>();
        i += c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n' ? 2 : 1;
        continue;
      }
      field.append(c);
      fieldStarted = true;
      i++;
    }
    if (fieldStarted || field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
