package dev.depotrunner.runner.ci;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexState;

/**
 * The parts of a target's build that get their own log group. A target only moves forward through
 * them: a context upload that finishes after the first step ran stays in the build group.
 */
enum Phase {
  LOAD("load", "Load build definition and context"),
  BUILD("build", "Build steps"),
  EXPORT("export", "Export and push");

  private final String id;
  private final String title;

  Phase(String id, String title) {
    this.id = id;
    this.title = title;
  }

  String id() {
    return id;
  }

  String title() {
    return title;
  }

  /** Returns the latest phase that a vertex in {@code status} belongs to, or {@code current} if none is later. */
  static Phase advance(Phase current, SolveStatus status) {
    Phase phase = current;
    for (VertexState vertex : status.vertexes()) {
      Phase of = of(vertex.name());
      if (of.compareTo(phase) > 0) {
        phase = of;
      }
    }
    return phase;
  }

  /** Classifies a vertex by the names BuildKit's Dockerfile frontend and exporters give their steps. */
  static Phase of(String vertexName) {
    if (vertexName.startsWith("[internal] load") || vertexName.startsWith("[auth]")) {
      return LOAD;
    }
    if (vertexName.startsWith("exporting ") || vertexName.startsWith("pushing ")
        || vertexName.startsWith("sending tarball") || vertexName.startsWith("importing to docker")
        || vertexName.startsWith("resolving provenance")) {
      return EXPORT;
    }
    return BUILD;
  }
}
