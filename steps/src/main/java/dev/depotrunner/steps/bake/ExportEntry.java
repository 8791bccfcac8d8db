package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code output} entry of a bake target: an exporter type, its destination and its attributes. A bare
 * path is {@code type=local,dest=PATH}, and {@code -} is a tarball on stdout.
 *
 * @param destination the {@code dest} attribute, or empty
 */
public record ExportEntry(String type, SortedMap<String, String> attributes, String destination) {

  public ExportEntry {
    attributes = new TreeMap<>(attributes);
  }

  /** @throws IllegalArgumentException naming the value when it has no type or a field is not KEY=VALUE */
  static ExportEntry parse(String value) {
    List<String> fields = CsvFields.split(value);
    if (fields.size() == 1 && fields.get(0).equals(value) && !value.startsWith("type=")) {
      return new ExportEntry(value.equals("-") ? "tar" : "local", new TreeMap<>(), value);
    }

    String type = "";
    String destination = "";
    SortedMap<String, String> attributes = new TreeMap<>();
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("invalid output \"" + value + "\": the field \"" + field
            + "\" is not KEY=VALUE; use type=TYPE[,KEY=VALUE...] or a folder path");
      }
      String key = field.substring(0, equals).strip().toLowerCase(Locale.ROOT);
      String fieldValue = field.substring(equals + 1);
      switch (key) {
        case "type" -> type = fieldValue;
        case "dest" -> destination = fieldValue;
        default -> attributes.put(key, fieldValue);
      }
    }
    if (type.isEmpty()) {
      throw new IllegalArgumentException("invalid output \"" + value + "\": type is missing; add type=image, type=docker, type=local or another exporter");
    }
    return new ExportEntry(type, attributes, destination);
  }

  /** Reads the object form of HCL and JSON bake files, such as {@code {type = "local", dest = "out"}}. */
  static ExportEntry fromMap(Map<String, String> values) {
    SortedMap<String, String> attributes = new TreeMap<>(values);
    String type = attributes.remove("type");
    String destination = attributes.remove("dest");
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("invalid output " + values + ": type is missing; add type = \"image\" or another exporter");
    }
    return new ExportEntry(type, attributes, destination == null ? "" : destination);
  }

  ExportEntry withAttribute(String key, String value) {
    SortedMap<String, String> changed = new TreeMap<>(attributes);
    changed.put(key, value);
    return new ExportEntry(type, changed, destination);
  }

  String toFlagValue() {
    List<String> fields = new ArrayList<>();
    fields.add("type=" + type);
    if (!destination.isEmpty()) {
      fields.add("dest=" + destination);
    }
    attributes.forEach((key, value) -> fields.add(key + "=" + value));
    return CsvFields.join(fields);
  }

  SortedMap<String, Object> toJson() {
    SortedMap<String, Object> json = new TreeMap<>(attributes);
    json.put("type", type);
    if (!destination.isEmpty()) {
      json.put("dest", destination);
    }
    return json;
  }

  static List<ExportEntry> merge(List<ExportEntry> entries, List<ExportEntry> more) {
    if (more == null) {
      return normalize(entries);
    }
    List<ExportEntry> merged = new ArrayList<>(entries == null ? List.of() : entries);
    merged.addAll(more);
    return normalize(merged);
  }

  static List<ExportEntry> normalize(List<ExportEntry> entries) {
    if (entries == null) {
      return null;
    }
    List<ExportEntry> unique = new ArrayList<>();
    for (ExportEntry entry : entries) {
      if (!unique.contains(entry)) {
        unique.add(entry);
      }
    }
    return unique;
  }
}
