package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes a resolved definition as {@code docker buildx bake --print} does (buildx v0.29): Go's
 * {@code json.MarshalIndent} with two spaces, fields in buildx's order, empty fields left out, map keys
 * sorted, and {@code <}, {@code >} and {@code &} escaped as Go escapes them.
 */
final class BakeJson {

  private BakeJson() {}

  static String write(BakeDefinition definition) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (!definition.groups().isEmpty()) {
      Map<String, Object> groups = new TreeMap<>();
      definition.groups().forEach((name, group) -> groups.put(name, group(group)));
      root.put("group", groups);
    }
    Map<String, Object> targets = new TreeMap<>();
    definition.targets().forEach((name, target) -> targets.put(name, target(target)));
    root.put("target", targets);

    var out = new StringBuilder();
    value(out, root, "");
    return out.append('\n').toString();
  }

  private static Map<String, Object> group(BakeGroup group) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (!group.description().isEmpty()) {
      json.put("description", group.description());
    }
    json.put("targets", group.targets());
    return json;
  }

  /** Returns the target's fields in the order of buildx's Target struct, then Depot's project_id. */
  static Map<String, Object> target(BakeTarget target) {
    Map<String, Object> json = new LinkedHashMap<>();
    putString(json, "description", target.description);
    putList(json, "inherits", target.inherits);
    putList(json, "annotations", escaped(target.annotations));
    putEntries(json, "attest", target.attest, AttestEntry::toJson);
    putString(json, "context", target.context);
    putMap(json, "contexts", target.contexts);
    putString(json, "dockerfile", target.dockerfile);
    putString(json, "dockerfile-inline", target.dockerfileInline == null ? null : escape(target.dockerfileInline));
    putMap(json, "args", escaped(target.args));
    putMap(json, "labels", escaped(target.labels));
    putList(json, "tags", target.tags);
    putEntries(json, "cache-from", target.cacheFrom, CacheEntry::toJson);
    putEntries(json, "cache-to", target.cacheTo, CacheEntry::toJson);
    putString(json, "target", target.target);
    putEntries(json, "secret", target.secrets, SecretEntry::toJson);
    putEntries(json, "ssh", target.ssh, SshEntry::toJson);
    putList(json, "platforms", target.platforms);
    putEntries(json, "output", target.outputs, ExportEntry::toJson);
    if (target.pull != null) {
      json.put("pull", target.pull);
    }
    if (target.noCache != null) {
      json.put("no-cache", target.noCache);
    }
    putString(json, "network", target.network);
    putList(json, "no-cache-filter", target.noCacheFilter);
    putString(json, "shm-size", target.shmSize);
    putList(json, "ulimits", target.ulimits);
    putString(json, "call", target.call);
    putList(json, "entitlements", target.entitlements);
    putMap(json, "extra-hosts", escaped(target.extraHosts));
    if (target.projectId != null && !target.projectId.isEmpty()) {
      json.put("project_id", target.projectId);
    }
    return json;
  }

  // buildx escapes HCL template sequences in these fields so that the printed JSON reads back unchanged.
  private static String escape(String value) {
    return value.replace("${", "$${").replace("%{", "%%{");
  }

  private static List<String> escaped(List<String> values) {
    return values == null ? null : values.stream().map(BakeJson::escape).toList();
  }

  private static Map<String, String> escaped(Map<String, String> values) {
    if (values == null) {
      return null;
    }
    Map<String, String> result = new LinkedHashMap<>();
    values.forEach((key, value) -> result.put(key, escape(value)));
    return result;
  }

  private static void putString(Map<String, Object> json, String key, String value) {
    if (value != null && !value.isEmpty()) {
      json.put(key, value);
    }
  }

  private static void putList(Map<String, Object> json, String key, List<String> values) {
    if (values != null && !values.isEmpty()) {
      json.put(key, values);
    }
  }

  private static void putMap(Map<String, Object> json, String key, Map<String, String> values) {
    if (values != null && !values.isEmpty()) {
      json.put(key, new TreeMap<>(values));
    }
  }

  private static <T> void putEntries(Map<String, Object> json, String key, List<T> entries, Function<T, Map<String, Object>> toJson) {
    if (entries != null && !entries.isEmpty()) {
      List<Object> list = new ArrayList<>();
      entries.forEach(entry -> list.add(toJson.apply(entry)));
      json.put(key, list);
    }
  }

  private static void value(StringBuilder out, Object value, String indent) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      int index = 0;
      for (var entry : map.entrySet()) {
        out.append(indent).append("  ");
        string(out, String.valueOf(entry.getKey()));
        out.append(": ");
        value(out, entry.getValue(), indent + "  ");
        out.append(++index < map.size() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int index = 0; index < list.size(); index++) {
        out.append(indent).append("  ");
        value(out, list.get(index), indent + "  ");
        out.append(index + 1 < list.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else if (value instanceof Boolean flag) {
      out.append(flag);
    } else if (value == null) {
      out.append("null");
    } else {
      string(out, value.toString());
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int index = 0; index < text.length(); index++) {
      char c = text.charAt(index);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
