package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Applies the {@code --set} overrides of one target, key by key, as buildx does. */
final class TargetOverrides {

  private TargetOverrides() {}

  static void apply(BakeTarget target, Map<String, BakeOverride> overrides) throws BakeFileException {
    if (overrides == null) {
      return;
    }
    Map<String, BakeOverride> secretOverrides = new LinkedHashMap<>();
    List<Map.Entry<String, BakeOverride>> ordered = new ArrayList<>();
    List<Map.Entry<String, BakeOverride>> last = new ArrayList<>();
    for (var entry : overrides.entrySet()) {
      // --push and --load look at the outputs, so they run after any output override.
      String key = entry.getKey();
      (key.equals("push") || key.equals("load") ? last : ordered).add(entry);
    }
    ordered.addAll(last);

    for (var entry : ordered) {
      try {
        applyOne(target, entry.getKey(), entry.getValue(), secretOverrides);
      } catch (IllegalArgumentException e) {
        throw new BakeFileException(null, "invalid --set for target \"" + target.name + "\": " + e.getMessage());
      }
    }
    for (var entry : secretOverrides.entrySet()) {
      updateSecret(target, entry.getKey(), entry.getValue().value);
    }
  }

  private static void applyOne(BakeTarget target, String key, BakeOverride override, Map<String, BakeOverride> secretOverrides) {
    String value = override.value;
    String[] keys = key.split("\\.", 2);
    String name = keys.length == 2 ? keys[1] : null;
    switch (keys[0]) {
      case "context" -> target.context = value;
      case "dockerfile" -> target.dockerfile = value;
      case "args" -> target.args = put(target.args, requireName(name, "args"), value);
      case "contexts" -> target.contexts = put(target.contexts, requireName(name, "contexts"), value);
      case "labels" -> target.labels = put(target.labels, requireName(name, "labels"), value);
      case "extra-hosts" -> target.extraHosts = put(target.extraHosts, requireName(name, "extra-hosts"), value);
      case "tags" -> target.tags = listOverride(target.tags, override);
      case "cache-from" -> {
        List<CacheEntry> entries = cacheEntries(override.values);
        target.cacheFrom = override.append ? CacheEntry.merge(target.cacheFrom, entries) : entries;
      }
      case "cache-to" -> {
        List<CacheEntry> entries = cacheEntries(override.values);
        target.cacheTo = override.append ? CacheEntry.merge(target.cacheTo, entries) : entries;
      }
      case "target" -> target.target = value;
      case "call" -> target.call = value;
      case "secret" -> secretOverrides.put(requireName(name, "secret"), override);
      case "secrets" -> {
        List<SecretEntry> entries = nonEmpty(override.values).stream().map(SecretEntry::parse).toList();
        target.secrets = override.append ? SecretEntry.merge(target.secrets, entries) : new ArrayList<>(entries);
      }
      case "ssh" -> {
        List<SshEntry> entries = nonEmpty(override.values).stream().map(SshEntry::parse).toList();
        target.ssh = override.append ? SshEntry.merge(target.ssh, entries) : new ArrayList<>(entries);
      }
      case "platform" -> target.platforms = listOverride(target.platforms, override);
      case "output" -> {
        List<ExportEntry> entries = nonEmpty(override.values).stream().map(ExportEntry::parse).toList();
        target.outputs = override.append ? ExportEntry.merge(target.outputs, entries) : new ArrayList<>(entries);
      }
      case "entitlements" -> target.entitlements = concat(target.entitlements, override.values);
      case "annotations" -> target.annotations = concat(target.annotations, override.values);
      case "attest" -> target.attest = AttestEntry.merge(target.attest,
          nonEmpty(override.values).stream().map(AttestEntry::parse).toList());
      case "no-cache" -> target.noCache = parseBoolean(value, "no-cache");
      case "no-cache-filter" -> target.noCacheFilter = listOverride(target.noCacheFilter, override);
      case "shm-size" -> target.shmSize = value;
      case "ulimits" -> target.ulimits = listOverride(target.ulimits, override);
      case "network" -> target.network = override.values.isEmpty() ? value : override.values.get(override.values.size() - 1);
      case "pull" -> target.pull = parseBoolean(value, "pull");
      case "push" -> target.outputs = withPush(target.outputs, parseBoolean(value, "push"));
      case "load" -> target.outputs = withLoad(target.outputs, parseBoolean(value, "load"));
      case "project_id" -> target.projectId = value;
      default -> throw new IllegalArgumentException("unknown key \"" + keys[0]
          + "\"; use a target field such as tags, args.NAME, platform, output, cache-from or push");
    }
  }

  private static String requireName(String name, String field) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("invalid format for " + field + ", use " + field + ".NAME=VALUE");
    }
    return name;
  }

  private static Map<String, String> put(Map<String, String> map, String key, String value) {
    Map<String, String> result = map == null ? new LinkedHashMap<>() : map;
    result.put(key, value);
    return result;
  }

  private static List<String> listOverride(List<String> current, BakeOverride override) {
    List<String> values = override.values.isEmpty() ? List.of(override.value) : override.values;
    if (override.append) {
      return concat(current, values);
    }
    return new ArrayList<>(values);
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first == null ? List.of() : first);
    all.addAll(second);
    return all;
  }

  private static List<String> nonEmpty(List<String> values) {
    return values.stream().filter(value -> !value.isEmpty()).toList();
  }

  private static List<CacheEntry> cacheEntries(List<String> values) {
    List<CacheEntry> entries = new ArrayList<>();
    for (String value : values) {
      entries.addAll(CacheEntry.parseAll(value));
    }
    return entries;
  }

  private static boolean parseBoolean(String value, String key) {
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new IllegalArgumentException("invalid value \"" + value + "\" for " + key + ": use true or false");
    };
  }

  /**
   * Turns {@code push} on or off as buildx does: off drops registry outputs and sets push=false on image
   * outputs; on sets push=true on image outputs and adds {@code type=image,push=true} when every output is
   * a docker output (or there is none).
   */
  static List<ExportEntry> withPush(List<ExportEntry> outputs, boolean push) {
    List<ExportEntry> result = new ArrayList<>();
    if (!push) {
      if (outputs == null) {
        return null;
      }
      for (ExportEntry output : outputs) {
        if (output.type().equals("registry")) {
          continue;
        }
        result.add(output.type().equals("image") ? output.withAttribute("push", "false") : output);
      }
      return result;
    }

    boolean addImage = true;
    for (ExportEntry output : outputs == null ? List.<ExportEntry>of() : outputs) {
      if (!output.type().equals("docker")) {
        addImage = false;
      }
      result.add(output.type().equals("image") ? output.withAttribute("push", "true") : output);
    }
    if (addImage) {
      result.add(new ExportEntry("image", new java.util.TreeMap<>(Map.of("push", "true")), ""));
    }
    return result;
  }

  /** Adds a {@code type=docker} output as buildx does, unless one exists or an output is not an image. */
  static List<ExportEntry> withLoad(List<ExportEntry> outputs, boolean load) {
    if (!load) {
      return outputs;
    }
    List<ExportEntry> current = outputs == null ? List.of() : outputs;
    for (ExportEntry output : current) {
      switch (output.type()) {
        case "docker" -> {
          if (output.destination().isEmpty()) {
            return outputs;
          }
        }
        case "image", "registry", "oci" -> {
          // An image output can go along with a docker one.
        }
        default -> {
          return outputs;
        }
      }
    }
    List<ExportEntry> result = new ArrayList<>(current);
    result.add(new ExportEntry("docker", new java.util.TreeMap<>(), ""));
    return result;
  }

  private static void updateSecret(BakeTarget target, String id, String value) throws BakeFileException {
    if (target.secrets != null) {
      for (int index = 0; index < target.secrets.size(); index++) {
        if (!target.secrets.get(index).id().equals(id)) {
          continue;
        }
        SecretEntry next;
        try {
          next = SecretEntry.parse(value);
        } catch (IllegalArgumentException e) {
          throw new BakeFileException(null, "invalid --set " + target.name + ".secret." + id + ": " + e.getMessage());
        }
        if (!next.id().isEmpty() && !next.id().equals(id)) {
          throw new BakeFileException(null, "invalid --set " + target.name + ".secret." + id + ": the id \"" + next.id()
              + "\" does not match the declared secret \"" + id + "\"");
        }
        target.secrets.set(index, new SecretEntry(id, next.source(), next.env()));
        return;
      }
    }
    throw new BakeFileException(null, "invalid --set " + target.name + ".secret." + id + ": target \"" + target.name
        + "\" declares no secret \"" + id + "\"; declare it in the file first, or use " + target.name + ".secrets=id=" + id + ",...");
  }
}
