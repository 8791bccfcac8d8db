package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The groups and targets of all bake files, before resolution: a target defined in several files is merged
 * into one, later definitions overriding earlier ones field by field.
 */
final class BakeConfig {

  final Map<String, BakeGroup> groups = new LinkedHashMap<>();
  final Map<String, BakeTarget> targets = new LinkedHashMap<>();

  /** Adds a group; a group of the same name from a later kind of file replaces it, as in buildx. */
  void addGroup(BakeGroup group) {
    groups.put(group.name(), group);
  }

  void addTarget(BakeTarget target) {
    BakeTarget existing = targets.get(target.name);
    if (existing == null) {
      targets.put(target.name, target);
    } else {
      existing.merge(target);
    }
  }

  /** Adds every group and target of {@code later}, as buildx merges Compose files and then HCL files. */
  void addAll(BakeConfig later) {
    later.groups.values().forEach(this::addGroup);
    later.targets.values().forEach(this::addTarget);
  }

  List<String> names() {
    List<String> names = new ArrayList<>(groups.keySet());
    for (String target : targets.keySet()) {
      if (!names.contains(target)) {
        names.add(target);
      }
    }
    return names;
  }
}
