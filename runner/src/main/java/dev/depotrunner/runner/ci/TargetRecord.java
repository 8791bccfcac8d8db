package dev.depotrunner.runner.ci;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One target's state as its events reported it: status, timings, steps, warnings and failure. */
final class TargetRecord {

  /** The final state of a target, or {@link #RUNNING} before its final event. */
  enum Status {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED
  }

  /** A finished, uncached step and how long it ran. */
  record StepTime(String name, Duration duration) {}

  private final String name;
  private final Map<String, VertexState> vertexes = new LinkedHashMap<>();
  private final Map<List<Object>, VertexWarning> warnings = new LinkedHashMap<>();
  private List<String> platforms = List.of();
  private Instant started;
  private Instant finished;
  private Status status = Status.RUNNING;
  private Map<String, String> exporterResponse = Map.of();
  private BuildEvent.Failed failure;

  TargetRecord(String name) {
    this.name = name;
  }

  void add(BuildEvent event) {
    if (event instanceof BuildEvent.Started start) {
      started = start.at();
      platforms = start.platforms();
    } else if (event instanceof BuildEvent.Progress progress) {
      addStatus(progress.status());
    } else if (event instanceof BuildEvent.Succeeded succeeded) {
      status = Status.SUCCEEDED;
      finished = succeeded.at();
      exporterResponse = succeeded.exporterResponse();
    } else if (event instanceof BuildEvent.Failed failed) {
      status = Status.FAILED;
      finished = failed.at();
      failure = failed;
    } else if (event instanceof BuildEvent.Cancelled cancelled && status == Status.RUNNING) {
      // A bake cancels the other targets when one fails, so a cancellation after a failure keeps the failure.
      status = Status.CANCELLED;
      finished = cancelled.at();
    }
  }

  private void addStatus(SolveStatus status) {
    for (VertexState vertex : status.vertexes()) {
      vertexes.put(vertex.digest(), vertex);
    }
    for (VertexWarning warning : status.warnings()) {
      List<Object> key = new ArrayList<>();
      key.add(warning.message());
      if (warning.source() != null) {
        key.add(warning.source().filename());
        key.add(warning.source().ranges());
      }
      warnings.putIfAbsent(key, warning);
    }
  }

  String name() {
    return name;
  }

  Status status() {
    return status;
  }

  List<String> platforms() {
    return platforms;
  }

  Map<String, String> exporterResponse() {
    return exporterResponse;
  }

  BuildEvent.Failed failure() {
    return failure;
  }

  List<VertexWarning> warnings() {
    return List.copyOf(warnings.values());
  }

  /** Returns the time from the start to the final event, or null when either is missing. */
  Duration duration() {
    return started == null || finished == null ? null : Duration.between(started, finished);
  }

  /** Returns how many steps finished, counting cached ones. */
  int completedSteps() {
    return (int) vertexes.values().stream().filter(vertex -> vertex.completed() != null).count();
  }

  int cachedSteps() {
    return (int) vertexes.values().stream().filter(VertexState::cached).count();
  }

  /** Returns the {@code limit} finished, uncached steps that ran longest, longest first. */
  List<StepTime> slowestSteps(int limit) {
    return vertexes.values().stream()
        .filter(vertex -> !vertex.cached() && vertex.started() != null && vertex.completed() != null)
        .map(vertex -> new StepTime(vertex.name(), Duration.between(vertex.started(), vertex.completed())))
        .sorted(Comparator.comparing(StepTime::duration).reversed())
        .limit(limit)
        .toList();
  }
}
