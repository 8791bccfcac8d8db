package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Builds status batches for tests, with times in seconds after {@link #T0}. */
final class Statuses {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private Statuses() {}

  static Instant at(double seconds) {
    return T0.plusNanos(Math.round(seconds * 1e9));
  }

  static VertexState vertex(String digest, String name, Double started, Double completed) {
    return new VertexState(
        digest, List.of(), name, false, time(started), time(completed), "", null);
  }

  static VertexState cached(String digest, String name, double at) {
    return new VertexState(digest, List.of(), name, true, at(at), at(at), "", null);
  }

  static VertexState failed(String digest, String name, double started, double completed, String error) {
    return new VertexState(digest, List.of(), name, false, at(started), at(completed), error, null);
  }

  static VertexState grouped(String digest, ProgressGroup group, Double started, Double completed) {
    return new VertexState(digest, List.of(), "member " + digest, false, time(started), time(completed), "", group);
  }

  static VertexProgress task(String vertex, String id, double timestamp, double started, Double completed, long current, long total) {
    return new VertexProgress(id, vertex, "", current, total, at(timestamp), at(started), time(completed));
  }

  static VertexLog log(String vertex, double timestamp, String text) {
    return new VertexLog(vertex, at(timestamp), 1, text.getBytes(StandardCharsets.UTF_8));
  }

  static VertexWarning warning(String vertex, String message) {
    return new VertexWarning(vertex, 1, message, List.of(), "", null);
  }

  static SolveStatus vertexes(VertexState... vertexes) {
    return new SolveStatus(List.of(vertexes), List.of(), List.of(), List.of());
  }

  static SolveStatus tasks(VertexProgress... tasks) {
    return new SolveStatus(List.of(), List.of(tasks), List.of(), List.of());
  }

  static SolveStatus logs(VertexLog... logs) {
    return new SolveStatus(List.of(), List.of(), List.of(logs), List.of());
  }

  static SolveStatus warnings(VertexWarning... warnings) {
    return new SolveStatus(List.of(), List.of(), List.of(), List.of(warnings));
  }

  static BuildEvent.Progress progress(SolveStatus status) {
    return new BuildEvent.Progress("default", status);
  }

  private static Instant time(Double seconds) {
    return seconds == null ? null : at(seconds);
  }
}
