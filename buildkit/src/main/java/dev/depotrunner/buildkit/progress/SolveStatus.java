package dev.depotrunner.buildkit.progress;

import java.util.List;

/**
 * One batch of progress from BuildKit's Status stream: vertexes that started, finished or failed,
 * transfer progress within them, their log output and build-check warnings.
 */
public record SolveStatus(
    List<VertexState> vertexes,
    List<VertexProgress> statuses,
    List<VertexLog> logs,
    List<VertexWarning> warnings) {

  public SolveStatus {
    vertexes = List.copyOf(vertexes);
    statuses = List.copyOf(statuses);
    logs = List.copyOf(logs);
    warnings = List.copyOf(warnings);
  }
}
