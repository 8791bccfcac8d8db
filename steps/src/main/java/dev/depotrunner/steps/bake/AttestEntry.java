package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code attest} entry of a bake target: an attestation type ({@code provenance}, {@code sbom}),
 * whether it is turned off, and its attributes such as {@code mode=max}.
 */
public record AttestEntry(String type, boolean disabled, SortedMap<String, String> attributes) {

  public AttestEntry {
    attributes = new TreeMap<>(attributes);
  }

  static AttestEntry parse(String value) {
    String type = "";
    boolean disabled = false;
    SortedMap<String, String> attributes = new TreeMap<>();
    for (String field : CsvFields.split(value)) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("invalid attest \"" + value + "\": the field \"" + field
            + "\" is not KEY=VALUE; use type=provenance,mode=max or type=sbom");
      }
      String key = field.substring(0, equals);
      String fieldValue = field.substring(equals + 1);
      switch (key.strip().toLowerCase(Locale.ROOT)) {
        case "type" -> type = fieldValue;
        case "disabled" -> disabled = parseBoolean(value, fieldValue);
        default -> attributes.put(key, fieldValue);
      }
    }
    if (type.isEmpty()) {
      throw new IllegalArgumentException("invalid attest \"" + value + "\": type is missing; add type=provenance or type=sbom");
    }
    return new AttestEntry(type, disabled, attributes);
  }

  private static boolean parseBoolean(String value, String field) {
    return switch (field) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new IllegalArgumentException("invalid attest \"" + value + "\": disabled must be true or false, not \"" + field + "\"");
    };
  }

  static AttestEntry fromMap(Map<String, String> values) {
    List<String> fields = new ArrayList<>();
    values.forEach((key, value) -> fields.add(key + "=" + value));
    return parse(CsvFields.join(fields));
  }

  /**
   * Turns the value of {@code --provenance} or {@code --sbom} into an attest entry as buildx does: a boolean
   * turns the type on or off, anything else is its attributes.
   */
  static String canonical(String type, String value) {
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> "type=" + type + ",disabled=false";
      case "0", "f", "F", "false", "FALSE", "False" -> "type=" + type + ",disabled=true";
      default -> "type=" + type + "," + value;
    };
  }

  String toFlagValue() {
    List<String> fields = new ArrayList<>();
    fields.add("type=" + type);
    if (disabled) {
      fields.add("disabled=true");
    }
    attributes.forEach((key, value) -> fields.add(key + "=" + value));
    return CsvFields.join(fields);
  }

  SortedMap<String, Object> toJson() {
    SortedMap<String, Object> json = new TreeMap<>(attributes);
    json.put("type", type);
    if (disabled) {
      json.put("disabled", Boolean.TRUE);
    }
    return json;
  }

  /** Appends {@code more}; a later entry of the same type replaces the earlier one in its place. */
  static List<AttestEntry> merge(List<AttestEntry> entries, List<AttestEntry> more) {
    if (more == null) {
      return normalize(entries);
    }
    List<AttestEntry> merged = new ArrayList<>(entries == null ? List.of() : entries);
    merged.addAll(more);
    return normalize(merged);
  }

  static List<AttestEntry> normalize(List<AttestEntry> entries) {
    if (entries == null || entries.isEmpty()) {
      return null;
    }
    List<AttestEntry> unique = new ArrayList<>();
    Map<String, Integer> positions = new LinkedHashMap<>();
    for (AttestEntry entry : entries) {
      Integer position = positions.get(entry.type());
      if (position == null) {
        positions.put(entry.type(), unique.size());
        unique.add(entry);
      } else {
        unique.set(position, entry);
      }
    }
    return unique;
  }
}
