package dev.depotrunner.steps.bake;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the attributes of evaluated HCL or JSON {@code target} and {@code group} blocks into bake targets
 * and groups, converting values as buildx's HCL decoding does: numbers and booleans become strings where a
 * string is expected, and {@code null} leaves a field unset.
 */
final class HclTargets {

  private HclTargets() {}

  static BakeGroup group(String name, Map<String, Object> attributes, String file, int line, int column)
      throws BakeFileException {
    List<String> targets = new ArrayList<>();
    String description = "";
    for (var attribute : attributes.entrySet()) {
      Object value = attribute.getValue();
      switch (attribute.getKey()) {
        case "targets" -> targets = value == null ? List.of() : strings(value, "targets", file, line, column);
        case "description" -> description = value == null ? "" : scalar(value, "description", file, line, column);
        default -> throw new BakeFileException(file, line, column, "group \"" + name + "\": unsupported attribute \""
            + attribute.getKey() + "\"; a group has only targets and description");
      }
    }
    return new BakeGroup(name, description, targets, file, line, column);
  }

  static BakeTarget target(String name, Map<String, Object> attributes, String file, int line, int column)
      throws BakeFileException {
    BakeTarget target = new BakeTarget(name).at(file, line, column);
    for (var attribute : attributes.entrySet()) {
      String key = attribute.getKey();
      Object value = attribute.getValue();
      if (value == null) {
        continue;
      }
      try {
        set(target, key, value);
      } catch (IllegalArgumentException e) {
        throw new BakeFileException(file, line, column, "target \"" + name + "\": " + e.getMessage());
      }
    }
    return target;
  }

  private static void set(BakeTarget target, String key, Object value) {
    switch (key) {
      case "description" -> target.description = scalar(value, key);
      case "inherits" -> target.inherits = strings(value, key);
      case "annotations" -> target.annotations = strings(value, key);
      case "attest" -> target.attest = entries(value, key, AttestEntry::parse, AttestEntry::fromMap);
      case "context" -> target.context = scalar(value, key);
      case "contexts" -> target.contexts = map(value, key);
      case "dockerfile" -> target.dockerfile = scalar(value, key);
      case "dockerfile-inline" -> target.dockerfileInline = scalar(value, key);
      case "args" -> target.args = map(value, key);
      case "labels" -> target.labels = map(value, key);
      case "tags" -> target.tags = strings(value, key);
      case "cache-from" -> target.cacheFrom = cacheEntries(value, key);
      case "cache-to" -> target.cacheTo = cacheEntries(value, key);
      case "target" -> target.target = scalar(value, key);
      case "secret" -> target.secrets = entries(value, key, SecretEntry::parse, SecretEntry::fromMap);
      case "ssh" -> target.ssh = sshEntries(value, key);
      case "platforms" -> target.platforms = strings(value, key);
      case "output" -> target.outputs = entries(value, key, ExportEntry::parse, ExportEntry::fromMap);
      case "pull" -> target.pull = bool(value, key);
      case "no-cache" -> target.noCache = bool(value, key);
      case "network" -> target.network = scalar(value, key);
      case "no-cache-filter" -> target.noCacheFilter = strings(value, key);
      case "shm-size" -> target.shmSize = scalar(value, key);
      case "ulimits" -> target.ulimits = strings(value, key);
      case "call" -> target.call = scalar(value, key);
      case "entitlements" -> target.entitlements = strings(value, key);
      case "extra-hosts" -> target.extraHosts = map(value, key);
      case "project_id" -> target.projectId = scalar(value, key);
      default -> throw new IllegalArgumentException("unsupported attribute \"" + key
          + "\"; check the spelling against the bake file reference (such as cache-from, no-cache, extra-hosts)");
    }
  }

  private static String scalar(Object value, String key) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Boolean || value instanceof BigDecimal) {
      return value instanceof BigDecimal number ? number.toPlainString() : value.toString();
    }
    throw new IllegalArgumentException(key + " must be a string, not " + describe(value));
  }

  private static String scalar(Object value, String key, String file, int line, int column) throws BakeFileException {
    try {
      return scalar(value, key);
    } catch (IllegalArgumentException e) {
      throw new BakeFileException(file, line, column, e.getMessage());
    }
  }

  private static Boolean bool(Object value, String key) {
    if (value instanceof Boolean flag) {
      return flag;
    }
    if (value instanceof String text && (text.equals("true") || text.equals("false"))) {
      return Boolean.valueOf(text);
    }
    throw new IllegalArgumentException(key + " must be true or false, not " + describe(value));
  }

  private static List<String> strings(Object value, String key) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(key + " must be a list of strings, such as [\"a\", \"b\"], not " + describe(value));
    }
    List<String> strings = new ArrayList<>();
    for (Object item : list) {
      if (item != null) {
        strings.add(scalar(item, key));
      }
    }
    return strings;
  }

  private static List<String> strings(Object value, String key, String file, int line, int column) throws BakeFileException {
    try {
      return strings(value, key);
    } catch (IllegalArgumentException e) {
      throw new BakeFileException(file, line, column, e.getMessage());
    }
  }

  private static Map<String, String> map(Object value, String key) {
    if (!(value instanceof Map<?, ?> entries)) {
      throw new IllegalArgumentException(key + " must be a map, such as { KEY = \"value\" }, not " + describe(value));
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (var entry : entries.entrySet()) {
      // A null value leaves the key unset, so an inherited value stays.
      map.put(String.valueOf(entry.getKey()), entry.getValue() == null ? null : scalar(entry.getValue(), key));
    }
    return map;
  }

  private static Map<String, String> stringMap(Map<?, ?> entries, String key) {
    Map<String, String> map = new LinkedHashMap<>();
    for (var entry : entries.entrySet()) {
      if (entry.getValue() != null) {
        map.put(String.valueOf(entry.getKey()), scalar(entry.getValue(), key));
      }
    }
    return map;
  }

  private static <T> List<T> entries(
      Object value, String key, Function<String, T> parse, Function<Map<String, String>, T> fromMap) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(key + " must be a list, not " + describe(value));
    }
    List<T> entries = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> object) {
        entries.add(fromMap.apply(stringMap(object, key)));
      } else if (item != null) {
        String text = scalar(item, key);
        if (!text.isEmpty()) {
          entries.add(parse.apply(text));
        }
      }
    }
    return entries;
  }

  private static List<CacheEntry> cacheEntries(Object value, String key) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(key + " must be a list, not " + describe(value));
    }
    List<CacheEntry> entries = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> object) {
        entries.add(CacheEntry.fromMap(stringMap(object, key)));
      } else if (item != null) {
        entries.addAll(CacheEntry.parseAll(scalar(item, key)));
      }
    }
    return entries;
  }

  private static List<SshEntry> sshEntries(Object value, String key) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException(key + " must be a list, not " + describe(value));
    }
    List<SshEntry> entries = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> object) {
        Map<String, Object> values = new LinkedHashMap<>();
        object.forEach((entryKey, entryValue) -> values.put(String.valueOf(entryKey), entryValue));
        entries.add(SshEntry.fromMap(values));
      } else if (item != null) {
        String text = scalar(item, key);
        if (!text.isEmpty()) {
          entries.add(SshEntry.parse(text));
        }
      }
    }
    return entries;
  }

  private static String describe(Object value) {
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    return "\"" + value + "\"";
  }
}
