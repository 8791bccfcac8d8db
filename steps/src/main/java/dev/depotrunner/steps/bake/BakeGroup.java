package dev.depotrunner.steps.bake;

import java.util.List;

/**
 * A named list of targets and groups that build together; {@code default} is built when no target is named.
 *
 * @param file where the group is defined, or null when it was made up (such as the default group of the
 *     targets named on the command line)
 */
public record BakeGroup(String name, String description, List<String> targets, String file, int line, int column) {

  public BakeGroup {
    targets = List.copyOf(targets);
    description = description == null ? "" : description;
  }

  BakeGroup withTargets(List<String> newTargets) {
    return new BakeGroup(name, description, newTargets, file, line, column);
  }
}
