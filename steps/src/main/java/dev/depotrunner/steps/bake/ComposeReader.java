package dev.depotrunner.steps.bake;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads Compose files into bake targets as buildx does: one target per service with a {@code build}
 * section, all of them in the group {@code default}, with the {@code x-bake} and {@code x-depot}
 * extensions. Values are interpolated from the environment and the {@code .env} file first.
 */
final class ComposeReader {

  static final Pattern TARGET_NAME = Pattern.compile("[a-zA-Z0-9_-]+");

  private final Map<String, String> environment;
  private final ComposeInterpolation interpolation;

  /** @param environment the process environment plus the {@code .env} file's variables */
  ComposeReader(Map<String, String> environment) {
    this.environment = environment;
    this.interpolation = new ComposeInterpolation(environment);
  }

  /** Returns whether {@code source} is a Compose file, as buildx decides before parsing it. */
  static boolean isCompose(BakeSource source) {
    String name = source.name().toLowerCase(Locale.ROOT);
    if (name.endsWith(".yml") || name.endsWith(".yaml")) {
      return true;
    }
    if (name.endsWith(".json") || name.endsWith(".hcl")) {
      return false;
    }
    try {
      return yaml().load(source.content()) instanceof Map<?, ?> root && root.get("services") instanceof Map<?, ?>;
    } catch (YAMLException e) {
      return false;
    }
  }

  private static Yaml yaml() {
    var options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }

  /** Reads the files together: a later file's values override an earlier file's, key by key. */
  BakeConfig read(List<BakeSource> sources) throws BakeFileException {
    Map<String, Object> merged = new LinkedHashMap<>();
    Map<String, int[]> positions = new LinkedHashMap<>();
    Map<String, String> serviceFiles = new LinkedHashMap<>();
    for (BakeSource source : sources) {
      Map<String, Object> root = load(source);
      Object interpolated = interpolate(root, source.name());
      deepMerge(merged, asMap(interpolated));
      recordServicePositions(source, positions, serviceFiles);
    }
    if (!merged.containsKey("services") && !merged.containsKey("secrets")) {
      throw new BakeFileException(sources.get(0).name(), "empty compose file: add a services section with a build for each image");
    }

    var config = new BakeConfig();
    Map<String, Object> services = asMap(merged.get("services"));
    Map<String, Object> secrets = asMap(merged.get("secrets"));
    if (services.isEmpty()) {
      return config;
    }
    List<String> defaultTargets = new ArrayList<>();
    for (var service : services.entrySet()) {
      String file = serviceFiles.getOrDefault(service.getKey(), sources.get(0).name());
      int[] position = positions.getOrDefault(service.getKey(), new int[] {0, 0});
      Map<String, Object> definition = asMap(service.getValue());
      Object build = definition.get("build");
      if (build == null) {
        continue;
      }
      String name = service.getKey().replace('.', '_');
      if (!TARGET_NAME.matcher(name).matches()) {
        throw new BakeFileException(file, position[0], position[1], "invalid service name \"" + name
            + "\": only letters, digits, _ and - are allowed in bake target names");
      }
      try {
        config.addTarget(target(name, definition, build, secrets).at(file, position[0], position[1]));
      } catch (IllegalArgumentException e) {
        throw new BakeFileException(file, position[0], position[1], "service \"" + service.getKey() + "\": " + e.getMessage());
      }
      defaultTargets.add(name);
    }
    config.addGroup(new BakeGroup("default", "", defaultTargets, null, 0, 0));
    return config;
  }

  private Map<String, Object> load(BakeSource source) throws BakeFileException {
    Object root;
    try {
      root = yaml().load(source.content());
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark();
      String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
      throw new BakeFileException(source.name(), mark.getLine() + 1, mark.getColumn() + 1, "invalid YAML: " + problem);
    } catch (YAMLException e) {
      throw new BakeFileException(source.name(), "invalid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw new BakeFileException(source.name(), "empty compose file: add a services section with a build for each image");
    }
    if (!(root instanceof Map<?, ?>)) {
      throw new BakeFileException(source.name(), 1, 1, "a Compose file must be a mapping with a services section");
    }
    return asMap(root);
  }

  private static void recordServicePositions(BakeSource source, Map<String, int[]> positions, Map<String, String> files) {
    Node root = yaml().compose(new java.io.StringReader(source.content()));
    if (!(root instanceof MappingNode mapping)) {
      return;
    }
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals("services")
          && tuple.getValueNode() instanceof MappingNode services) {
        for (NodeTuple service : services.getValue()) {
          if (service.getKeyNode() instanceof ScalarNode serviceKey) {
            Mark mark = serviceKey.getStartMark();
            positions.putIfAbsent(serviceKey.getValue(), new int[] {mark.getLine() + 1, mark.getColumn() + 1});
            files.putIfAbsent(serviceKey.getValue(), source.name());
          }
        }
      }
    }
  }

  private Object interpolate(Object value, String file) throws BakeFileException {
    try {
      return interpolateValue(value);
    } catch (IllegalArgumentException e) {
      throw new BakeFileException(file, e.getMessage());
    }
  }

  private Object interpolateValue(Object value) {
    if (value instanceof String text) {
      return interpolation.apply(text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((key, item) -> result.put(String.valueOf(key), interpolateValue(item)));
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      list.forEach(item -> result.add(interpolateValue(item)));
      return result;
    }
    return value;
  }

  // NOTE: Compose appends some lists of override files (such as ports) instead of replacing them. Here
  // a later file's list replaces the earlier one, and maps merge key by key.
  @SuppressWarnings("unchecked")
  private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
    for (var entry : from.entrySet()) {
      Object existing = into.get(entry.getKey());
      if (existing instanceof Map<?, ?> existingMap && entry.getValue() instanceof Map<?, ?> newMap) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existingMap);
        deepMerge(copy, (Map<String, Object>) newMap);
        into.put(entry.getKey(), copy);
      } else {
        into.put(entry.getKey(), entry.getValue());
      }
    }
  }

  private BakeTarget target(String name, Map<String, Object> service, Object buildValue, Map<String, Object> topSecrets) {
    Map<String, Object> build = buildValue instanceof String context ? Map.of("context", context) : asMap(buildValue);
    BakeTarget target = new BakeTarget(name);

    String context = string(build.get("context"));
    if (!context.isEmpty()) {
      target.context = cleanLocalPath(context);
    }
    String dockerfile = string(build.get("dockerfile"));
    if (!dockerfile.isEmpty()) {
      target.dockerfile = dockerfile;
    }
    String dockerfileInline = string(build.get("dockerfile_inline"));
    if (!dockerfileInline.isEmpty()) {
      target.dockerfileInline = dockerfileInline;
    }
    if (build.get("additional_contexts") != null) {
      Map<String, String> contexts = new LinkedHashMap<>();
      keyValues(build.get("additional_contexts"), "additional_contexts")
          .forEach((contextName, value) -> contexts.put(contextName, cleanLocalPath(value)));
      target.contexts = namedContexts(contexts);
    }
    String shmSize = string(build.get("shm_size"));
    if (!shmSize.isEmpty()) {
      long bytes = MemoryUnits.parseBytes(shmSize);
      if (bytes > 0) {
        target.shmSize = MemoryUnits.binary(bytes);
      }
    }
    String network = string(build.get("network"));
    if (!network.isEmpty()) {
      target.network = network;
    }
    target.ulimits = ulimits(build.get("ulimits"));
    target.extraHosts = extraHosts(build.get("extra_hosts"));
    target.ssh = ssh(build.get("ssh"));
    target.secrets = secrets(build.get("secrets"), topSecrets);
    Map<String, String> labels = keyValues(build.get("labels"), "labels");
    target.labels = labels.isEmpty() ? new LinkedHashMap<>() : labels;
    target.cacheFrom = cacheEntries(build.get("cache_from"));
    target.cacheTo = cacheEntries(build.get("cache_to"));
    target.attest = attests(build);
    if (Boolean.TRUE.equals(build.get("no_cache"))) {
      target.noCache = true;
    }
    if (Boolean.TRUE.equals(build.get("pull"))) {
      target.pull = true;
    }
    target.tags = strings(build.get("tags"));
    target.platforms = strings(build.get("platforms"));
    target.args = args(build.get("args"), service.get("environment"));

    applyBakeExtension(target, build.get("x-bake"));
    applyDepotExtension(target, build.get("x-depot"));
    String stage = string(build.get("target"));
    if (!stage.isEmpty()) {
      target.target = stage;
    }
    String image = string(service.get("image"));
    if ((target.tags == null || target.tags.isEmpty()) && !image.isEmpty()) {
      target.tags = new ArrayList<>(List.of(image));
    }
    return target;
  }

  private Map<String, String> args(Object value, Object serviceEnvironment) {
    if (value == null) {
      return null;
    }
    Map<String, String> declared = keyValuesWithUnset(value, "args");
    Map<String, String> serviceVariables = keyValuesWithUnset(serviceEnvironment, "environment");
    Map<String, String> args = new LinkedHashMap<>();
    for (var entry : declared.entrySet()) {
      String argument = entry.getValue();
      if (argument == null) {
        argument = serviceVariables.get(entry.getKey());
      }
      if (argument == null) {
        argument = environment.get(entry.getKey());
      }
      if (argument != null) {
        args.put(entry.getKey(), argument);
      }
    }
    return args.isEmpty() ? null : args;
  }

  private static List<String> ulimits(Object value) {
    if (value == null) {
      return null;
    }
    List<String> ulimits = new ArrayList<>();
    for (var entry : new TreeMap<>(asMap(value)).entrySet()) {
      long soft;
      long hard;
      if (entry.getValue() instanceof Map<?, ?> limits) {
        soft = number(limits.get("soft"));
        hard = number(limits.get("hard"));
      } else {
        // Compose keeps a single number apart from soft and hard, and buildx reads only those two.
        soft = 0;
        hard = 0;
      }
      ulimits.add(entry.getKey() + "=" + soft + ":" + hard);
    }
    return ulimits;
  }

  private static Map<String, String> extraHosts(Object value) {
    Map<String, String> hosts = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((host, address) -> hosts.put(String.valueOf(host),
          address instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : string(address)));
    } else if (value instanceof List<?> list) {
      Map<String, List<String>> byHost = new LinkedHashMap<>();
      for (Object item : list) {
        String entry = string(item);
        int separator = entry.indexOf('=');
        if (separator < 0) {
          separator = entry.indexOf(':');
        }
        if (separator <= 0) {
          throw new IllegalArgumentException("invalid extra_hosts entry \"" + entry + "\": use HOST=IP or HOST:IP");
        }
        byHost.computeIfAbsent(entry.substring(0, separator), host -> new ArrayList<>()).add(entry.substring(separator + 1));
      }
      byHost.forEach((host, addresses) -> hosts.put(host, String.join(",", addresses)));
    }
    return hosts;
  }

  private static List<SshEntry> ssh(Object value) {
    if (value == null) {
      return null;
    }
    List<SshEntry> entries = new ArrayList<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((id, path) -> entries.add(sshEntry(String.valueOf(id), string(path))));
    } else {
      for (String item : strings(value)) {
        int equals = item.indexOf('=');
        entries.add(equals < 0 ? sshEntry(item, "") : sshEntry(item.substring(0, equals), item.substring(equals + 1)));
      }
    }
    entries.sort(null);
    return entries;
  }

  private static SshEntry sshEntry(String id, String path) {
    return new SshEntry(id, path.isEmpty() ? List.of() : List.of(cleanLocalPath(path)));
  }

  private static List<SecretEntry> secrets(Object value, Map<String, Object> topSecrets) {
    if (value == null) {
      return null;
    }
    List<SecretEntry> entries = new ArrayList<>();
    for (Object item : (List<?>) value) {
      String source = item instanceof Map<?, ?> long_ ? string(long_.get("source")) : string(item);
      Object declaration = topSecrets.get(source);
      if (declaration == null) {
        throw new IllegalArgumentException("secret \"" + source + "\" is not defined; add it under the top-level secrets with file: or environment:");
      }
      Map<String, Object> secret = asMap(declaration);
      if (Boolean.TRUE.equals(secret.get("external"))) {
        throw new IllegalArgumentException("external secret \"" + source + "\" is not supported; give it a file: or environment:");
      }
      String file = string(secret.get("file"));
      entries.add(new SecretEntry(source, file.isEmpty() ? "" : cleanLocalPath(file), string(secret.get("environment"))));
    }
    return entries;
  }

  private static List<CacheEntry> cacheEntries(Object value) {
    if (value == null) {
      return null;
    }
    List<CacheEntry> entries = new ArrayList<>();
    for (String item : strings(value)) {
      entries.addAll(CacheEntry.parseAll(item));
    }
    return entries;
  }

  private static List<AttestEntry> attests(Map<String, Object> build) {
    List<AttestEntry> entries = new ArrayList<>();
    String sbom = string(build.get("sbom"));
    if (!sbom.isEmpty()) {
      entries.add(AttestEntry.parse(AttestEntry.canonical("sbom", sbom)));
    }
    String provenance = string(build.get("provenance"));
    if (!provenance.isEmpty()) {
      entries.add(AttestEntry.parse(AttestEntry.canonical("provenance", provenance)));
    }
    return entries.isEmpty() ? null : entries;
  }

  /** Applies {@code x-bake}: fields Compose's build section lacks, such as outputs and extra tags. */
  private static void applyBakeExtension(BakeTarget target, Object value) {
    if (value == null) {
      return;
    }
    Map<String, Object> extension = asMap(value);
    List<String> tags = fieldsOf(extension.get("tags"));
    if (!tags.isEmpty()) {
      target.tags = unique(concat(target.tags, tags));
    }
    List<String> cacheFrom = fieldsOf(extension.get("cache-from"));
    if (!cacheFrom.isEmpty()) {
      target.cacheFrom = CacheEntry.merge(target.cacheFrom, cacheEntries(cacheFrom));
    }
    List<String> cacheTo = fieldsOf(extension.get("cache-to"));
    if (!cacheTo.isEmpty()) {
      target.cacheTo = CacheEntry.merge(target.cacheTo, cacheEntries(cacheTo));
    }
    List<String> secrets = fieldsOf(extension.get("secret"));
    if (!secrets.isEmpty()) {
      target.secrets = SecretEntry.merge(target.secrets, secrets.stream().map(SecretEntry::parse).toList());
    }
    List<String> ssh = fieldsOf(extension.get("ssh"));
    if (!ssh.isEmpty()) {
      List<SshEntry> merged = new ArrayList<>(SshEntry.merge(target.ssh, ssh.stream().map(SshEntry::parse).toList()));
      merged.sort(null);
      target.ssh = merged;
    }
    List<String> platforms = fieldsOf(extension.get("platforms"));
    if (!platforms.isEmpty()) {
      target.platforms = unique(concat(target.platforms, platforms));
    }
    List<String> outputs = fieldsOf(extension.get("output"));
    if (!outputs.isEmpty()) {
      target.outputs = ExportEntry.merge(target.outputs, outputs.stream().map(ExportEntry::parse).toList());
    }
    if (extension.get("pull") instanceof Boolean pull) {
      target.pull = pull;
    }
    if (extension.get("no-cache") instanceof Boolean noCache) {
      target.noCache = noCache;
    }
    List<String> noCacheFilter = fieldsOf(extension.get("no-cache-filter"));
    if (!noCacheFilter.isEmpty()) {
      target.noCacheFilter = unique(concat(target.noCacheFilter, noCacheFilter));
    }
    if (extension.get("contexts") != null) {
      Map<String, String> contexts = namedContexts(keyValues(extension.get("contexts"), "x-bake.contexts"));
      Map<String, String> merged = new LinkedHashMap<>(target.contexts == null ? Map.of() : target.contexts);
      contexts.forEach(merged::putIfAbsent);
      target.contexts = merged;
    }
  }

  private static void applyDepotExtension(BakeTarget target, Object value) {
    if (value == null) {
      return;
    }
    String projectId = string(asMap(value).get("project-id"));
    if (!projectId.isEmpty()) {
      target.projectId = projectId;
    }
  }

  /** Reads an x-bake list: a YAML list, or one string of space-separated values. */
  private static List<String> fieldsOf(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?>) {
      return strings(value);
    }
    String text = string(value).strip();
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
  }

  private static Map<String, String> namedContexts(Map<String, String> contexts) {
    Map<String, String> converted = new LinkedHashMap<>();
    contexts.forEach((name, value) -> {
      if (value.startsWith("service:") || value.startsWith("target:")) {
        value = "target:" + value.substring(value.indexOf(':') + 1).replace('.', '_');
      }
      converted.put(name, value);
    });
    return converted;
  }

  private static Map<String, String> keyValues(Object value, String field) {
    Map<String, String> values = new LinkedHashMap<>();
    keyValuesWithUnset(value, field).forEach((key, item) -> values.put(key, item == null ? "" : item));
    return values;
  }

  /** Reads a Compose map or {@code KEY=VALUE} list; a key without a value maps to null. */
  private static Map<String, String> keyValuesWithUnset(Object value, String field) {
    Map<String, String> values = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> values.put(String.valueOf(key), item == null ? null : string(item)));
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        String entry = string(item);
        int equals = entry.indexOf('=');
        if (equals < 0) {
          values.put(entry, null);
        } else {
          values.put(entry.substring(0, equals), entry.substring(equals + 1));
        }
      }
    } else if (value != null) {
      throw new IllegalArgumentException(field + " must be a map or a list of KEY=VALUE");
    }
    return values;
  }

  /** Cleans a local path as Go's filepath.Clean does; URLs and special contexts stay as written. */
  static String cleanLocalPath(String path) {
    if (path.contains("://") || path.startsWith("git@") || path.startsWith("target:") || path.startsWith("service:")
        || path.startsWith("docker-image:")) {
      return path;
    }
    String cleaned = Path.of(path).normalize().toString();
    return cleaned.isEmpty() ? "." : cleaned;
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      return new ArrayList<>(List.of(string(value)));
    }
    List<String> strings = new ArrayList<>();
    list.forEach(item -> strings.add(string(item)));
    return strings;
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first == null ? List.of() : first);
    all.addAll(second);
    return all;
  }

  private static List<String> unique(List<String> values) {
    List<String> unique = new ArrayList<>();
    values.stream().filter(value -> !unique.contains(value)).forEach(unique::add);
    return unique;
  }

  private static String string(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float) {
      return new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(value);
  }

  private static long number(Object value) {
    if (value instanceof Number number) {
      return number.longValue();
    }
    try {
      return Long.parseLong(string(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid ulimit value \"" + value + "\": use a number");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    if (value == null) {
      return new LinkedHashMap<>();
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new IllegalArgumentException("expected a mapping, not \"" + value + "\"");
  }
}
