package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code secret} of a bake target: its id and where the value comes from, a file or an environment
 * variable. Only names and paths are kept here, never a secret's value.
 *
 * @param source the file path ({@code src}), or empty
 * @param env the environment variable, or empty
 */
public record SecretEntry(String id, String source, String env) {

  /** Parses {@code id=ID[,src=PATH|env=VAR][,type=file|env]} as buildx does. */
  static SecretEntry parse(String value) {
    String id = "";
    String source = "";
    String env = "";
    String type = "";
    for (String field : CsvFields.split(value)) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("invalid secret \"" + value + "\": the field \"" + field
            + "\" is not KEY=VALUE; use id=ID,src=PATH or id=ID,env=VARIABLE");
      }
      String key = field.substring(0, equals).toLowerCase(Locale.ROOT);
      String fieldValue = field.substring(equals + 1);
      switch (key) {
        case "type" -> {
          if (!fieldValue.equals("file") && !fieldValue.equals("env")) {
            throw new IllegalArgumentException("invalid secret \"" + value + "\": type must be file or env, not \"" + fieldValue + "\"");
          }
          type = fieldValue;
        }
        case "id" -> id = fieldValue;
        case "source", "src" -> source = fieldValue;
        case "env" -> env = fieldValue;
        default -> throw new IllegalArgumentException("invalid secret \"" + value + "\": unknown key \"" + key
            + "\"; use id, src, env or type");
      }
    }
    if (type.equals("env") && env.isEmpty()) {
      env = source;
      source = "";
    }
    return new SecretEntry(id, source, env);
  }

  static SecretEntry fromMap(Map<String, String> values) {
    List<String> fields = new ArrayList<>();
    values.forEach((key, value) -> fields.add(key + "=" + value));
    return parse(CsvFields.join(fields));
  }

  String toFlagValue() {
    List<String> fields = new ArrayList<>();
    if (!id.isEmpty()) {
      fields.add("id=" + id);
    }
    if (!source.isEmpty()) {
      fields.add("src=" + source);
    }
    if (!env.isEmpty()) {
      fields.add("env=" + env);
    }
    return CsvFields.join(fields);
  }

  /** Returns the fields in buildx's order: id, src, env, each only when set. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    if (!id.isEmpty()) {
      json.put("id", id);
    }
    if (!source.isEmpty()) {
      json.put("src", source);
    }
    if (!env.isEmpty()) {
      json.put("env", env);
    }
    return json;
  }

  /** Appends {@code more}; a later secret with the same id replaces the earlier one in its place. */
  static List<SecretEntry> merge(List<SecretEntry> entries, List<SecretEntry> more) {
    if (more == null) {
      return normalize(entries);
    }
    List<SecretEntry> merged = new ArrayList<>(entries == null ? List.of() : entries);
    merged.addAll(more);
    return normalize(merged);
  }

  static List<SecretEntry> normalize(List<SecretEntry> entries) {
    if (entries == null) {
      return null;
    }
    SortedMap<Integer, SecretEntry> byPosition = new TreeMap<>();
    Map<String, Integer> positions = new LinkedHashMap<>();
    for (SecretEntry entry : entries) {
      Integer position = positions.get(entry.id());
      if (position == null) {
        position = positions.size();
        positions.put(entry.id(), position);
      }
      byPosition.put(position, entry);
    }
    return new ArrayList<>(byPosition.values());
  }
}
