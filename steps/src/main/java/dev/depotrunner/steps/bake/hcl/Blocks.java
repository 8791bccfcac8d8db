package dev.depotrunner.steps.bake.hcl;

import dev.depotrunner.hcl.Body;
import dev.depotrunner.hcl.EvalContext;
import dev.depotrunner.hcl.HclException;
import dev.depotrunner.hcl.LazyValueException;
import dev.depotrunner.hcl.Position;
import dev.depotrunner.hcl.Type;
import dev.depotrunner.hcl.ValueException;
import dev.depotrunner.hcl.Values;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code target} and {@code group} blocks: matrix expansion into named instances, evaluation of their
 * attributes on first use so blocks can refer to each other ({@code target.base.tags}), and the final
 * merge by name.
 */
final class Blocks {

  static final String TARGET = "target";
  static final String GROUP = "group";

  /**
   * The attributes of buildx's Target type and Depot's {@code project_id}, which references to an unset
   * attribute read as null.
   */
  static final Set<String> TARGET_ATTRIBUTES = Set.of("description", "inherits", "annotations", "attest", "context",
      "contexts", "dockerfile", "dockerfile-inline", "args", "labels", "tags", "cache-from", "cache-to", "target",
      "secret", "ssh", "platforms", "output", "pull", "no-cache", "network", "no-cache-filter", "shm-size",
      "ulimits", "resources", "call", "entitlements", "extra-hosts", "policy", "project_id");

  static final Set<String> GROUP_ATTRIBUTES = Set.of("description", "targets");

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]+");

  /** One named block after matrix expansion, with its attributes evaluated on demand. */
  private static final class Instance {
    final String type;
    final String name;
    final Body.Block block;
    final EvalContext context;
    final Map<String, Body.Attribute> attributes = new LinkedHashMap<>();
    final Map<String, Object> values = new HashMap<>();
    final Set<String> inProgress = new LinkedHashSet<>();

    Instance(String type, String name, Body.Block block, EvalContext context) {
      this.type = type;
      this.name = name;
      this.block = block;
      this.context = context;
    }
  }

  private final List<Instance> instances = new ArrayList<>();
  private final Map<String, Map<String, Instance>> byName = Map.of(TARGET, new LinkedHashMap<>(), GROUP,
      new LinkedHashMap<>());
  /** The names that the blocks of each type and label took, keyed by "type label". */
  private final Map<String, Set<String>> namesByLabel = new LinkedHashMap<>();
  private final Map<String, Position> labelPositions = new HashMap<>();

  /** Expands one block into instances, evaluating its matrix and name in {@code global}. */
  void add(String type, Body.Block block, EvalContext global) throws HclException {
    String label = block.labels().get(0);
    Position labelPosition = block.labelPositions().isEmpty() ? block.position() : block.labelPositions().get(0);
    checkName(label, type, labelPosition);

    Body.Content content = block.body().content(Map.of());
    Map<String, Body.Attribute> attributes = new LinkedHashMap<>();
    for (Body.Attribute attribute : content.attributes()) {
      attributes.put(attribute.name(), attribute);
    }
    if (!content.blocks().isEmpty()) {
      Body.Block nested = content.blocks().get(0);
      throw new HclException(nested.position(), "unsupported block " + nested.type() + " in " + type + " " + label
          + "; write it as an attribute: " + nested.type() + " = ...");
    }

    Body.Attribute matrix = attributes.remove("matrix");
    Body.Attribute nameAttribute = attributes.remove("name");
    if (type.equals(GROUP) && matrix != null) {
      throw new HclException(matrix.position(), "matrix is not supported for groups; move it to a target");
    }
    if (type.equals(GROUP) && nameAttribute != null) {
      throw new HclException(nameAttribute.position(), "name is not supported for groups; remove it");
    }
    if (nameAttribute != null && matrix == null) {
      throw new HclException(nameAttribute.position(), "name requires matrix: remove name, or add a matrix to "
          + "target " + label);
    }
    Set<String> allowed = type.equals(TARGET) ? TARGET_ATTRIBUTES : GROUP_ATTRIBUTES;
    for (Body.Attribute attribute : attributes.values()) {
      if (!allowed.contains(attribute.name())) {
        throw new HclException(attribute.position(), "unsupported attribute \"" + attribute.name() + "\" in " + type
            + " " + label + "; check the spelling against the bake file reference");
      }
    }
    if (type.equals(GROUP) && !attributes.containsKey("targets")) {
      throw new HclException(block.position(), "group " + label + " has no targets attribute; add"
          + " targets = [\"name\", ...]");
    }

    List<Map<String, Object>> combinations = matrix == null ? List.of(Map.of()) : combinations(matrix, global);
    List<String> names = new ArrayList<>();
    for (Map<String, Object> combination : combinations) {
      EvalContext context = combination.isEmpty() ? global : global.child(combination);
      String name = label;
      if (nameAttribute != null) {
        name = instanceName(nameAttribute, context);
        checkName(name, type, nameAttribute.position());
      }
      if (names.contains(name)) {
        Position at = nameAttribute != null ? nameAttribute.position() : matrix.position();
        throw new HclException(at, "duplicate name \"" + name + "\" in the matrix of target " + label
            + (nameAttribute == null ? "; add a name attribute that differs for each combination, such as"
                + " name = \"" + label + "-${...}\"" : "; make name differ for each combination"));
      }
      names.add(name);

      Instance instance = new Instance(type, name, block, context);
      instance.attributes.putAll(attributes);
      instances.add(instance);
      byName.get(type).put(name, instance);
    }

    namesByLabel.computeIfAbsent(type + " " + label, k -> new LinkedHashSet<>()).addAll(names);
    labelPositions.putIfAbsent(type + " " + label, block.position());
  }

  private static void checkName(String name, String type, Position position) throws HclException {
    if (!NAME.matcher(name).matches()) {
      throw new HclException(position, "invalid " + type + " name \"" + name + "\": only letters, digits, '_' and"
          + " '-' are allowed");
    }
  }

  /**
   * Returns the cartesian product of the matrix values. buildx takes the keys in Go map order, which varies
   * from run to run. Here the keys go in lexical order, and the first key varies fastest, as in buildx's loop.
   */
  private static List<Map<String, Object>> combinations(Body.Attribute matrix, EvalContext global)
      throws HclException {
    Object value = global.evaluate(matrix.expression());
    if (!(value instanceof Map<?, ?> map)) {
      throw new HclException(matrix.position(), "matrix must be a map of lists, such as matrix = { tgt = [\"a\","
          + " \"b\"] }, not a " + Values.typeName(value));
    }
    List<Map<String, Object>> combinations = new ArrayList<>();
    combinations.add(new LinkedHashMap<>());
    for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
      if (!(entry.getValue() instanceof List<?> values)) {
        throw new HclException(matrix.position(), "matrix value " + entry.getKey() + " must be a list, not a "
            + Values.typeName(entry.getValue()));
      }
      List<Map<String, Object>> next = new ArrayList<>();
      for (Object element : values) {
        for (Map<String, Object> previous : combinations) {
          Map<String, Object> combination = new LinkedHashMap<>(previous);
          combination.put((String) entry.getKey(), element);
          next.add(combination);
        }
      }
      combinations = next;
    }
    return combinations;
  }

  private static String instanceName(Body.Attribute nameAttribute, EvalContext context) throws HclException {
    Object value = context.evaluate(nameAttribute.expression());
    if (value == null) {
      throw new HclException(nameAttribute.position(), "name evaluated to null; it must be a string");
    }
    try {
      return Values.toStringValue(value);
    } catch (ValueException e) {
      throw new HclException(nameAttribute.position(), "invalid name: " + e.getMessage());
    }
  }

  /** Returns whether {@code name} is a block type that expressions can refer to. */
  static boolean isBlockType(String name) {
    return name.equals(TARGET) || name.equals(GROUP);
  }

  /** Returns the value of {@code target} or {@code group} in expressions: an object of blocks by name. */
  Map<String, Object> reference(String type) {
    Map<String, Instance> named = byName.get(type);
    return new LazyObject(new ArrayList<>(named.keySet()), key -> blockObject(named.get(key)));
  }

  private static final Set<String> STRING_FIELDS = Set.of("description", "context", "dockerfile",
      "dockerfile-inline", "target", "network", "shm-size", "call", "project_id");
  private static final Set<String> BOOL_FIELDS = Set.of("pull", "no-cache");
  private static final Set<String> STRING_LIST_FIELDS = Set.of("inherits", "annotations", "tags", "platforms",
      "no-cache-filter", "ulimits", "entitlements", "targets");
  private static final Set<String> STRING_MAP_FIELDS = Set.of("args", "labels", "contexts", "extra-hosts");

  /**
   * Converts a referenced attribute to the type of buildx's Target or Group field, as buildx reads
   * references after decoding: {@code target.a.args.N} is the string "1" even where N = 1 was written.
   * A value that does not convert is returned as written, and the final decoding reports it.
   */
  // NOTE: attest, cache-from, cache-to, secret, ssh, output, policy and resources are parsed structures in
  // buildx; references to them return the value as written.
  static Object referenceValue(String key, Object value) {
    try {
      if (value == null) {
        return null;
      }
      if (STRING_FIELDS.contains(key)) {
        return Type.STRING.convert(value);
      }
      if (BOOL_FIELDS.contains(key)) {
        return Type.BOOL.convert(value);
      }
      if (STRING_LIST_FIELDS.contains(key)) {
        List<Object> converted = new ArrayList<>();
        for (Object element : (List<?>) value) {
          if (element == null) {
            return value;
          }
          converted.add(Type.STRING.convert(element));
        }
        return converted;
      }
      if (STRING_MAP_FIELDS.contains(key)) {
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          converted.put((String) entry.getKey(), Type.STRING.convert(entry.getValue()));
        }
        return converted;
      }
    } catch (ValueException | ClassCastException e) {
      return value;
    }
    return value;
  }

  private Map<String, Object> blockObject(Instance instance) {
    Set<String> keys = new LinkedHashSet<>();
    keys.add("name");
    keys.addAll(new TreeSet<>(instance.type.equals(TARGET) ? TARGET_ATTRIBUTES : GROUP_ATTRIBUTES));
    return new LazyObject(new ArrayList<>(keys), key -> {
      if (key.equals("name")) {
        return instance.name;
      }
      if (!instance.attributes.containsKey(key)) {
        return null;
      }
      try {
        return referenceValue(key, attribute(instance, key));
      } catch (HclException e) {
        throw new LazyValueException(e);
      }
    });
  }

  private Object attribute(Instance instance, String key) throws HclException {
    if (instance.values.containsKey(key)) {
      return instance.values.get(key);
    }
    Body.Attribute attribute = instance.attributes.get(key);
    if (!instance.inProgress.add(key)) {
      throw new HclException(attribute.position(), "reference cycle: " + instance.type + "." + instance.name + "."
          + key + " depends on itself; remove one of the references");
    }
    try {
      Object value = plain(instance.context.evaluate(attribute.expression()));
      instance.values.put(key, value);
      return value;
    } finally {
      instance.inProgress.remove(key);
    }
  }

  /** Evaluates every instance and merges them by name into the result. */
  HclBakeFile evaluate() throws HclException {
    Map<String, HclBlock> groups = new LinkedHashMap<>();
    Map<String, HclBlock> targets = new LinkedHashMap<>();
    for (Instance instance : instances) {
      Map<String, Object> attributes = new LinkedHashMap<>();
      for (String key : instance.attributes.keySet()) {
        attributes.put(key, attribute(instance, key));
      }
      Position at = instance.block.position();
      if (instance.type.equals(GROUP)) {
        HclBlock earlier = groups.get(instance.name);
        // buildx has no merge for groups: a later definition replaces the earlier one.
        groups.put(instance.name, earlier == null
            ? new HclBlock(instance.name, attributes, at.file(), at.line(), at.column())
            : new HclBlock(instance.name, attributes, earlier.file(), earlier.line(), earlier.column()));
        continue;
      }
      HclBlock earlier = targets.get(instance.name);
      if (earlier == null) {
        targets.put(instance.name, new HclBlock(instance.name, attributes, at.file(), at.line(), at.column()));
      } else {
        TargetMerge.merge(earlier.attributes(), attributes);
      }
    }

    // As buildx does, a label whose blocks took other names becomes a group of those names. The label
    // itself is among them when another block of that label has no matrix.
    for (Map.Entry<String, Set<String>> entry : namesByLabel.entrySet()) {
      String label = entry.getKey().substring(entry.getKey().indexOf(' ') + 1);
      if (entry.getValue().equals(Set.of(label))) {
        continue;
      }
      HclBlock existing = groups.get(label);
      if (existing == null) {
        Position at = labelPositions.get(entry.getKey());
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("targets", new ArrayList<Object>(entry.getValue()));
        groups.put(label, new HclBlock(label, attributes, at.file(), at.line(), at.column()));
      } else {
        List<Object> members = new ArrayList<>();
        if (existing.attributes().get("targets") instanceof List<?> list) {
          members.addAll(list);
        }
        for (String name : entry.getValue()) {
          if (!members.contains(name)) {
            members.add(name);
          }
        }
        existing.attributes().put("targets", members);
      }
    }
    return new HclBakeFile(new ArrayList<>(groups.values()), new ArrayList<>(targets.values()));
  }

  /** Copies a value into plain maps and lists, forcing any lazily computed object. */
  static Object plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        copy.put((String) entry.getKey(), plain(entry.getValue()));
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (Object element : list) {
        copy.add(plain(element));
      }
      return copy;
    }
    return value;
  }

  /** An object whose values are computed on first access; failures surface as {@link LazyValueException}. */
  private static final class LazyObject extends AbstractMap<String, Object> {

    interface Loader {
      Object load(String key);
    }

    private final List<String> keys;
    private final Loader loader;
    private final Map<String, Object> loaded = new HashMap<>();

    LazyObject(List<String> keys, Loader loader) {
      this.keys = keys;
      this.loader = loader;
    }

    @Override
    public boolean containsKey(Object key) {
      return keys.contains(key);
    }

    @Override
    public Object get(Object key) {
      if (!keys.contains(key)) {
        return null;
      }
      if (!loaded.containsKey(key)) {
        loaded.put((String) key, loader.load((String) key));
      }
      return loaded.get(key);
    }

    @Override
    public int size() {
      return keys.size();
    }

    @Override
    public Set<String> keySet() {
      return new LinkedHashSet<>(keys);
    }

    /** Returns entries whose values load when read, so listing the keys computes nothing. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new java.util.AbstractSet<>() {
        @Override
        public java.util.Iterator<Entry<String, Object>> iterator() {
          java.util.Iterator<String> names = keys.iterator();
          return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
              return names.hasNext();
            }

            @Override
            public Entry<String, Object> next() {
              String key = names.next();
              return new SimpleImmutableEntry<>(key, null) {
                @Override
                public Object getValue() {
                  return get(key);
                }
              };
            }
          };
        }

        @Override
        public int size() {
          return keys.size();
        }
      };
    }
  }
}
