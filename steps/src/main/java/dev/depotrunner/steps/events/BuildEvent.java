package dev.depotrunner.steps.events;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.SourceLocation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a step reports while it runs. Steps emit these as data and never format them; the runner's
 * renderers (plain, tty, rawjson) and each CI's reporter decide how they look.
 *
 * <p>Every event names its target: {@code default} for a single build, the target's name in a bake.
 */
public sealed interface BuildEvent {

  String target();

  /** A build was sent to a builder. */
  record Started(String target, String builder, List<String> platforms, Instant at) implements BuildEvent {
    public Started {
      platforms = List.copyOf(platforms);
    }
  }

  /** A batch of BuildKit progress for the target. */
  record Progress(String target, SolveStatus status) implements BuildEvent {}

  /** A one-line message for the person reading the log, such as which builder was chosen. */
  record Notice(String target, Level level, String message) implements BuildEvent {}

  /**
   * The build finished and its outputs were written.
   *
   * @param exporterResponse BuildKit's exporter response, such as {@code containerimage.digest}
   */
  record Succeeded(String target, Map<String, String> exporterResponse, Instant at) implements BuildEvent {
    public Succeeded {
      exporterResponse = Map.copyOf(exporterResponse);
    }
  }

  /**
   * The build failed.
   *
   * @param message the error without a stack trace, worded to follow {@code failed to build: },
   *     such as {@code failed to solve: process "/bin/sh -c false" did not complete successfully:
   *     exit code: 1}. Renderers print it as {@code ERROR: failed to build: <message>}, or as
   *     {@code ERROR: target <target>: <message>} when a bake builds several targets
   * @param vertex the digest of the failing vertex, or empty when the failure is not tied to one
   * @param source where in the Dockerfile the failure points, or null
   */
  record Failed(String target, String message, String vertex, SourceLocation source, Instant at)
      implements BuildEvent {}

  /** The build was cancelled, for example by SIGINT or SIGTERM. */
  record Cancelled(String target, Instant at) implements BuildEvent {}

  /** Severity of a {@link Notice}. */
  enum Level {
    DEBUG,
    INFO,
    WARNING
  }
}
