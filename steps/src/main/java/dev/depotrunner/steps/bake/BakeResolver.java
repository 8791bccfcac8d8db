package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the targets to build from the merged files, following buildx's {@code ReadTargets}: names and
 * patterns select targets and groups, each target inherits from its parents and gets its {@code --set}
 * overrides, and the targets named in {@code target:} contexts join as linked targets.
 */
final class BakeResolver {

  private final BakeConfig config;
  private final Map<String, Map<String, BakeOverride>> overrides;
  private final String files;

  BakeResolver(BakeConfig config, Map<String, Map<String, BakeOverride>> overrides, String files) {
    this.config = config;
    this.overrides = overrides;
    this.files = files;
  }

  BakeDefinition resolve(List<String> requested) throws BakeFileException {
    List<String> names = new ArrayList<>();
    for (String name : requested) {
      for (String match : matchNames(name.replace('.', '_'))) {
        if (!names.contains(match)) {
          names.add(match);
        }
      }
    }

    Map<String, BakeTarget> targets = new LinkedHashMap<>();
    Map<String, BakeGroup> groups = new LinkedHashMap<>();
    for (String name : names) {
      List<String> groupNames = new ArrayList<>();
      for (String targetName : expandGroup(name, groupNames, new ArrayList<>())) {
        if (!targets.containsKey(targetName)) {
          targets.put(targetName, resolveTarget(targetName, null));
        }
      }
      for (String groupName : groupNames) {
        groups.putIfAbsent(groupName, config.groups.get(groupName));
      }
    }
    addDefaultGroup(names, groups);

    for (BakeTarget target : new ArrayList<>(targets.values())) {
      loadLinks(target, targets, new ArrayList<>());
    }
    return new BakeDefinition(groups, targets);
  }

  private List<String> matchNames(String pattern) throws BakeFileException {
    if (!Glob.isPattern(pattern)) {
      return List.of(pattern);
    }
    List<String> names = new ArrayList<>();
    for (String name : config.names()) {
      if (Glob.matches(pattern, name)) {
        names.add(name);
      }
    }
    if (names.isEmpty()) {
      throw new BakeFileException(null, "no target or group matches \"" + pattern + "\" in " + files + "; "
          + available());
    }
    return names;
  }

  /** Returns the targets of a group, recursively, and adds the group names to {@code groupNames}. */
  private List<String> expandGroup(String name, List<String> groupNames, List<String> visiting) {
    BakeGroup group = config.groups.get(name);
    if (group == null) {
      return List.of(name);
    }
    List<String> targets = new ArrayList<>();
    if (visiting.contains(name)) {
      return targets;
    }
    visiting.add(name);
    if (!groupNames.contains(name)) {
      groupNames.add(name);
    }
    for (String member : group.targets()) {
      for (String target : expandGroup(member, groupNames, visiting)) {
        if (!targets.contains(target)) {
          targets.add(target);
        }
      }
    }
    visiting.remove(name);
    return targets;
  }

  private void addDefaultGroup(List<String> names, Map<String, BakeGroup> groups) {
    BakeGroup fromFile = groups.get("default");
    List<String> members = new ArrayList<>(fromFile == null ? List.of() : fromFile.targets());
    for (String name : names) {
      if (fromFile != null && name.equals("default")) {
        continue;
      }
      members.add(name);
    }
    if (fromFile == null && members.isEmpty()) {
      return;
    }
    List<String> unique = new ArrayList<>();
    members.stream().filter(member -> !unique.contains(member)).forEach(unique::add);
    unique.sort(null);
    groups.put("default", fromFile == null
        ? new BakeGroup("default", "", unique, null, 0, 0)
        : fromFile.withTargets(unique));
  }

  /**
   * Resolves one target: its parents first, in {@code inherits} order, then the target itself, then its
   * overrides. Defaults {@code context} to {@code .} and {@code dockerfile} to {@code Dockerfile}.
   *
   * @param referrer the group or target that names it, for the error when it does not exist
   */
  BakeTarget resolveTarget(String name, BakeTarget referrer) throws BakeFileException {
    BakeTarget target = inherit(name, referrer, new ArrayList<>(), new LinkedHashMap<>());
    target.inherits = null;
    if (target.context == null) {
      target.context = ".";
    } else if (target.context.startsWith("cwd://")) {
      // buildx prints and builds a cwd:// context (such as BAKE_CMD_CONTEXT) as the path after the prefix.
      target.context = ComposeReader.cleanLocalPath(target.context.substring("cwd://".length()));
    }
    if (target.dockerfile == null || target.dockerfile.isEmpty()) {
      target.dockerfile = "Dockerfile";
    }
    return target;
  }

  private BakeTarget inherit(String name, BakeTarget referrer, List<String> chain, Map<String, BakeTarget> resolved)
      throws BakeFileException {
    BakeTarget done = resolved.get(name);
    if (done != null) {
      return done;
    }
    BakeTarget definition = config.targets.get(name);
    if (definition == null) {
      throw notFound(name, referrer);
    }
    if (chain.contains(name)) {
      List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(name), chain.size()));
      cycle.add(name);
      throw definition.error("target \"" + name + "\" inherits from itself through " + String.join(" -> ", cycle)
          + "; remove one of these inherits");
    }
    chain.add(name);

    BakeTarget parents = new BakeTarget(name);
    if (definition.inherits != null) {
      for (String parent : definition.inherits) {
        parents.merge(inherit(parent, definition, chain, resolved));
      }
    }
    BakeTarget target = new BakeTarget(name).at(definition.file, definition.line, definition.column);
    target.merge(parents);
    target.merge(definition);
    TargetOverrides.apply(target, overrides.get(name));
    target.normalize();

    chain.remove(chain.size() - 1);
    resolved.put(name, target);
    return target;
  }

  private BakeFileException notFound(String name, BakeTarget referrer) {
    String message = "target \"" + name + "\" is not defined";
    if (referrer != null) {
      return referrer.error("target \"" + referrer.name + "\" refers to " + message + "; define it or fix the name ("
          + available() + ")");
    }
    BakeGroup group = referringGroup(name);
    if (group != null && group.file() != null) {
      String fix = "; define it or remove it from group \"" + group.name() + "\" (" + available() + ")";
      return group.line() > 0
          ? new BakeFileException(group.file(), group.line(), group.column(), "group \"" + group.name() + "\" names " + message + fix)
          : new BakeFileException(group.file(), "group \"" + group.name() + "\" names " + message + fix);
    }
    return new BakeFileException(null, message + " in " + files + "; " + available());
  }

  private BakeGroup referringGroup(String name) {
    for (BakeGroup group : config.groups.values()) {
      if (group.targets().contains(name)) {
        return group;
      }
    }
    return null;
  }

  private String available() {
    List<String> names = config.names();
    return names.isEmpty() ? "the files define no targets" : "defined: " + String.join(", ", names);
  }

  /**
   * Adds the targets named in {@code target:} contexts, outputs replaced by {@code cacheonly}, and checks
   * that no target links to itself in a loop.
   */
  private void loadLinks(BakeTarget target, Map<String, BakeTarget> targets, List<String> visited) throws BakeFileException {
    visited = new ArrayList<>(visited);
    visited.add(target.name);
    for (String linkedName : target.linkedTargets()) {
      if (linkedName.equals(target.name)) {
        throw target.error("target \"" + target.name + "\" uses itself as a target: context; name another target");
      }
      if (visited.contains(linkedName)) {
        throw target.error("target: contexts loop from \"" + target.name + "\" to \"" + linkedName + "\"; remove one of the target: contexts");
      }
      BakeTarget linked = targets.get(linkedName);
      if (linked == null) {
        linked = resolveTarget(linkedName, target);
        linked.outputs = new ArrayList<>(List.of(new ExportEntry("cacheonly", new java.util.TreeMap<>(), "")));
        linked.linked = true;
        targets.put(linkedName, linked);
      }
      loadLinks(linked, targets, visited);

      if (linked.entitlements != null) {
        for (String entitlement : linked.entitlements) {
          if (target.entitlements == null) {
            target.entitlements = new ArrayList<>();
          }
          if (!target.entitlements.contains(entitlement)) {
            target.entitlements.add(entitlement);
          }
        }
      }
      if (target.platforms != null && linked.platforms != null && target.platforms.size() > 1 && linked.platforms.size() > 1
          && !linked.platforms.containsAll(target.platforms)) {
        throw target.error("target \"" + linkedName + "\" cannot be used by \"" + target.name + "\" because its platforms "
            + linked.platforms + " are not a superset of " + target.platforms + "; build both for the same platforms");
      }
    }
  }
}
