package dev.depotrunner.steps.bake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolved definition of one {@code depot bake}: the groups that were named and every target to
 * build, including those built only as another target's {@code target:} context. Maps are sorted by name,
 * as {@code --print} shows them.
 */
public final class BakeDefinition {

  private final Map<String, BakeGroup> groups;
  private final Map<String, BakeTarget> targets;

  BakeDefinition(Map<String, BakeGroup> groups, Map<String, BakeTarget> targets) {
    this.groups = Collections.unmodifiableMap(new TreeMap<>(groups));
    this.targets = Collections.unmodifiableMap(new TreeMap<>(targets));
  }

  public Map<String, BakeGroup> groups() {
    return groups;
  }

  public Map<String, BakeTarget> targets() {
    return targets;
  }

  /** Returns the definition as {@code docker buildx bake --print} writes it, with a final newline. */
  public String toJson() {
    return BakeJson.write(this);
  }

  /** Returns the names of the requested targets, without those built only as contexts. */
  public List<String> requestedTargets() {
    return targets.values().stream().filter(target -> !target.linked).map(BakeTarget::name).toList();
  }

  /**
   * Returns a copy in which every target carries {@code labels}, such as the CI's source labels; a
   * label the target sets itself keeps the target's value.
   */
  public BakeDefinition withDefaultLabels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return this;
    }
    Map<String, BakeTarget> labelled = new TreeMap<>();
    for (BakeTarget target : targets.values()) {
      BakeTarget copy = target.copy(target.name);
      Map<String, String> merged = new LinkedHashMap<>(labels);
      if (target.labels != null) {
        merged.putAll(target.labels);
      }
      copy.labels = merged;
      labelled.put(target.name, copy);
    }
    return new BakeDefinition(groups, labelled);
  }
}
