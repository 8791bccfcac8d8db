package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexState;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a bake target's name in front of vertex names, as docker buildx does when a bake builds
 * several targets: {@code [build 2/4] RUN make} becomes {@code [app build 2/4] RUN make} and
 * {@code exporting to image} becomes {@code [app] exporting to image}.
 */
final class TargetNames {

  private TargetNames() {}

  static SolveStatus prefix(SolveStatus status, String target) {
    if (status.vertexes().isEmpty()) {
      return status;
    }
    List<VertexState> renamed = new ArrayList<>(status.vertexes().size());
    for (VertexState vertex : status.vertexes()) {
      ProgressGroup group = vertex.progressGroup();
      if (group != null) {
        group = new ProgressGroup(group.id(), prefix(group.name(), target), group.weak());
      }
      renamed.add(
          new VertexState(
              vertex.digest(),
              vertex.inputs(),
              prefix(vertex.name(), target),
              vertex.cached(),
              vertex.started(),
              vertex.completed(),
              vertex.error(),
              group));
    }
    return new SolveStatus(renamed, status.statuses(), status.logs(), status.warnings());
  }

  static String prefix(String name, String target) {
    if (name.startsWith("[")) {
      return "[" + target + " " + name.substring(1);
    }
    return "[" + target + "] " + name;
  }
}
