package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code cache-from} or {@code cache-to} entry of a bake target: a cache backend type and its
 * attributes. A bare reference such as {@code user/app:cache} is {@code type=registry,ref=user/app:cache}.
 */
public record CacheEntry(String type, SortedMap<String, String> attributes) {

  public CacheEntry {
    attributes = new TreeMap<>(attributes);
  }

  /**
   * Parses the entries of one value as buildx does: {@code a,b} without {@code =} is two registry
   * references, anything else is one {@code type=TYPE,KEY=VALUE} entry.
   *
   * @throws IllegalArgumentException naming the value when it has no type or a field is not KEY=VALUE
   */
  static List<CacheEntry> parseAll(String value) {
    List<CacheEntry> entries = new ArrayList<>();
    if (value.isEmpty()) {
      return entries;
    }
    if (!value.contains("=")) {
      for (String reference : CsvFields.split(value)) {
        entries.add(new CacheEntry("registry", new TreeMap<>(Map.of("ref", reference))));
      }
      return entries;
    }

    String type = "";
    SortedMap<String, String> attributes = new TreeMap<>();
    for (String field : CsvFields.split(value)) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("invalid cache entry \"" + value + "\": the field \"" + field
            + "\" is not KEY=VALUE; use type=registry,ref=NAME or a bare image reference");
      }
      String key = field.substring(0, equals).toLowerCase(java.util.Locale.ROOT);
      if (key.equals("type")) {
        type = field.substring(equals + 1);
      } else {
        attributes.put(key, field.substring(equals + 1));
      }
    }
    if (type.isEmpty()) {
      throw new IllegalArgumentException("invalid cache entry \"" + value + "\": type is missing; add type=registry, type=local, type=gha or another cache type");
    }
    entries.add(new CacheEntry(type, attributes));
    return entries;
  }

  /** Reads the object form of HCL and JSON bake files, such as {@code {type = "registry", ref = "x"}}. */
  static CacheEntry fromMap(Map<String, String> values) {
    SortedMap<String, String> attributes = new TreeMap<>(values);
    String type = attributes.remove("type");
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("invalid cache entry " + values + ": type is missing; add type = \"registry\" or another cache type");
    }
    return new CacheEntry(type, attributes);
  }

  /** Returns the entry as the flag value buildx passes on: the bare reference for a plain registry entry. */
  String toFlagValue() {
    if (type.equals("registry") && attributes.size() == 1 && attributes.containsKey("ref")) {
      return attributes.get("ref");
    }
    List<String> fields = new ArrayList<>();
    fields.add("type=" + type);
    attributes.forEach((key, value) -> fields.add(key + "=" + value));
    return CsvFields.join(fields);
  }

  /** Returns the attributes and the type in one map, keys sorted, as {@code --print} shows the entry. */
  SortedMap<String, Object> toJson() {
    SortedMap<String, Object> json = new TreeMap<>(attributes);
    json.put("type", type);
    return json;
  }

  /** Appends {@code more} to {@code entries}, dropping later duplicates, as buildx merges cache lists. */
  static List<CacheEntry> merge(List<CacheEntry> entries, List<CacheEntry> more) {
    List<CacheEntry> merged = new ArrayList<>(entries == null ? List.of() : entries);
    if (more != null) {
      merged.addAll(more);
    }
    return normalize(merged);
  }

  static List<CacheEntry> normalize(List<CacheEntry> entries) {
    if (entries == null) {
      return null;
    }
    List<CacheEntry> unique = new ArrayList<>();
    for (CacheEntry entry : entries) {
      if (!unique.contains(entry)) {
        unique.add(entry);
      }
    }
    return unique;
  }
}
