package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * The event handling every renderer shares. It takes one event at a time and records warnings and
 * failures for the end of the output. For the live renderers it also limits refreshes the way
 * BuildKit's progress UI does: at most every 100 ms on updates, and every 150 ms when idle.
 */
abstract class BaseRenderer implements ProgressRenderer {

  static final Duration MIN_UPDATE_INTERVAL = Duration.ofMillis(100);
  static final Duration IDLE_REFRESH_INTERVAL = Duration.ofMillis(150);

  final TextOutput out;
  final ProgressOptions options;
  final BuildOutcome outcome;
  final InstantSource clock;
  private final RefreshTimer timer;
  private boolean closed;
  private Instant lastAllowedUpdate;
  private Instant lastActivity;

  /**
   * @param timer refreshes the output while idle, or null to refresh only on events (tests call
   *     {@link #refreshIfIdle()} themselves)
   */
  BaseRenderer(TextOutput out, ProgressOptions options, InstantSource clock, RefreshTimer timer) {
    this.out = out;
    this.options = options;
    this.outcome = new BuildOutcome(options);
    this.clock = clock;
    this.timer = timer;
  }

  @Override
  public final synchronized void onEvent(BuildEvent event) {
    if (closed) {
      return;
    }
    if (timer != null) {
      timer.start(this::refreshIfIdle);
    }

    if (event instanceof BuildEvent.Progress progress) {
      SolveStatus status = progress.status();
      if (options.multiTarget()) {
        status = TargetNames.prefix(status, progress.target());
      }
      outcome.addWarnings(status.warnings());
      onStatus(status);
    } else if (event instanceof BuildEvent.Notice notice) {
      onNotice(notice);
    } else if (event instanceof BuildEvent.Failed failure) {
      outcome.failed(failure);
    } else if (event instanceof BuildEvent.Cancelled cancellation) {
      outcome.cancelled(cancellation);
    }
    out.flush();
  }

  @Override
  public final synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer != null) {
      timer.stop();
    }
    finish();
    out.flush();
  }

  @Override
  public final synchronized List<VertexWarning> warnings() {
    return outcome.warnings();
  }

  /** Refreshes the output when nothing arrived for {@link #IDLE_REFRESH_INTERVAL}. */
  final synchronized void refreshIfIdle() {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    if (lastActivity == null || Duration.between(lastActivity, now).compareTo(IDLE_REFRESH_INTERVAL) >= 0) {
      lastActivity = now;
      refresh(now);
      out.flush();
    }
  }

  /**
   * Records that an update arrived and returns whether the output may be refreshed for it, which
   * is at most once per {@link #MIN_UPDATE_INTERVAL}.
   */
  final boolean allowUpdate(Instant now) {
    lastActivity = now;
    if (lastAllowedUpdate != null
        && Duration.between(lastAllowedUpdate, now).compareTo(MIN_UPDATE_INTERVAL) < 0) {
      return false;
    }
    lastAllowedUpdate = now;
    return true;
  }

  /** Returns whether a notice is shown: INFO and WARNING always, DEBUG with debug output on. */
  final boolean shouldPrint(BuildEvent.Notice notice) {
    return notice.level() != BuildEvent.Level.DEBUG || options.debug();
  }

  static String noticeLine(BuildEvent.Notice notice) {
    return switch (notice.level()) {
      case WARNING -> "WARNING: " + notice.message();
      case DEBUG -> "DEBUG: " + notice.message();
      case INFO -> notice.message();
    };
  }

  /**
   * Prints the output of every vertex that failed for a reason other than cancellation, between
   * rules, as BuildKit's progress UI does when it finishes.
   */
  final void printFailureLogs(Trace trace) {
    for (TraceVertex vertex : trace.failedVertexes()) {
      out.print("------\n");
      out.print(" > " + vertex.state.name() + ":\n");
      for (byte[] line : trace.failureLogLines(vertex)) {
        out.write(line, 0, line.length);
        out.print("\n");
      }
      out.print("------\n");
    }
  }

  abstract void onStatus(SolveStatus status);

  abstract void onNotice(BuildEvent.Notice notice);

  /** Redraws or prints what changed; the live renderers override it. */
  void refresh(Instant now) {}

  abstract void finish();
}
