package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code ssh} entry of a bake target: an id ({@code default} for the agent) and the agent sockets or
 * key files it forwards, empty for {@code $SSH_AUTH_SOCK}.
 */
public record SshEntry(String id, List<String> paths) implements Comparable<SshEntry> {

  public SshEntry {
    paths = List.copyOf(paths);
  }

  /** Parses {@code ID[=PATH[,PATH...]]}. */
  static SshEntry parse(String value) {
    int equals = value.indexOf('=');
    if (equals < 0) {
      return new SshEntry(value, List.of());
    }
    return new SshEntry(value.substring(0, equals), Arrays.asList(value.substring(equals + 1).split(",", -1)));
  }

  static SshEntry fromMap(Map<String, Object> values) {
    Object id = values.get("id");
    List<String> paths = new ArrayList<>();
    if (values.get("paths") instanceof List<?> list) {
      list.forEach(path -> paths.add(String.valueOf(path)));
    }
    return new SshEntry(id == null ? "" : String.valueOf(id), paths);
  }

  String toFlagValue() {
    return paths.isEmpty() ? id : id + "=" + String.join(",", paths);
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    if (!id.isEmpty()) {
      json.put("id", id);
    }
    if (!paths.isEmpty()) {
      json.put("paths", paths);
    }
    return json;
  }

  @Override
  public int compareTo(SshEntry other) {
    int byId = id.compareTo(other.id);
    if (byId != 0) {
      return byId;
    }
    for (int index = 0; index < Math.min(paths.size(), other.paths.size()); index++) {
      int byPath = paths.get(index).compareTo(other.paths.get(index));
      if (byPath != 0) {
        return byPath;
      }
    }
    return Integer.compare(paths.size(), other.paths.size());
  }

  /** Appends {@code more}; a later entry with the same id replaces the earlier one in its place. */
  static List<SshEntry> merge(List<SshEntry> entries, List<SshEntry> more) {
    if (more == null) {
      return normalize(entries);
    }
    List<SshEntry> merged = new ArrayList<>(entries == null ? List.of() : entries);
    merged.addAll(more);
    return normalize(merged);
  }

  static List<SshEntry> normalize(List<SshEntry> entries) {
    if (entries == null) {
      return null;
    }
    List<SshEntry> unique = new ArrayList<>();
    Map<String, Integer> positions = new LinkedHashMap<>();
    for (SshEntry entry : entries) {
      Integer position = positions.get(entry.id());
      if (position == null) {
        positions.put(entry.id(), unique.size());
        unique.add(entry);
      } else {
        unique.set(position, entry);
      }
    }
    return unique;
  }
}
