package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of a build's progress, folded from BuildKit's status batches the way BuildKit's own
 * progress UI does it (moby/buildkit util/progress/progressui/display.go), so that the plain and
 * tty renderers number, time and group vertexes as docker buildx does.
 *
 * <p>Vertex and task times come from the builder's clock. The offset between that clock and the
 * local one is measured when the first vertex starts, and the tty view uses it to show running
 * times.
 */
final class Trace {

  static final String CONTEXT_CANCELED = "context canceled";

  /** Rows of a running vertex's output that the tty view shows under it. */
  static final int SCREEN_HEIGHT = 6;

  /** Columns the tty view uses around a vertex's output ({@code " => => # "} and a margin). */
  static final int SCREEN_PADDING = 10;

  /**
   * Bytes of output that the tty view keeps per vertex to print when the vertex fails.
   *
   * <p>NOTE: BuildKit's tty view keeps all of it. This bound keeps memory flat on long builds, so
   * the start of a very long failing step is left out of its failure summary.
   */
  static final long MAX_KEPT_LOG_BYTES = 1 << 20;

  private final boolean console;
  Instant startTime;
  Duration localTimeDiff = Duration.ZERO;
  final List<TraceVertex> vertexes = new ArrayList<>();
  final Map<String, TraceVertex> byDigest = new LinkedHashMap<>();
  final Set<String> updates = new LinkedHashSet<>();
  private final Map<String, TraceVertex> groups = new LinkedHashMap<>();

  /**
   * @param console whether a tty view reads this trace. It then keeps each vertex's output, up to
   *     {@link #MAX_KEPT_LOG_BYTES}, and writes it into a {@link LogScreen} per vertex.
   */
  Trace(boolean console) {
    this.console = console;
  }

  /**
   * Folds one batch into the trace.
   *
   * @param now the local time the batch arrived
   * @param screenWidth the terminal's width, used only by the tty view
   */
  void update(SolveStatus status, Instant now, int screenWidth) {
    List<TraceVertex> touchedGroups = new ArrayList<>();
    for (VertexState vertex : status.vertexes()) {
      if (startTime == null) {
        startTime = vertex.started();
      }
      if (vertex.progressGroup() != null) {
        TraceVertex group = addToGroup(vertex, screenWidth);
        if (!touchedGroups.contains(group)) {
          touchedGroups.add(group);
        }
        continue;
      }
      updateVertex(vertex, now, screenWidth);
    }

    for (TraceVertex group : touchedGroups) {
      refreshGroup(group, now);
    }

    for (VertexProgress progress : status.statuses()) {
      updateTask(progress, now);
    }

    for (VertexWarning warning : status.warnings()) {
      TraceVertex vertex = byDigest.get(warning.vertex());
      if (vertex != null) {
        vertex.warnings.add(warning);
        vertex.update(1, now);
      }
    }

    for (VertexLog log : status.logs()) {
      appendLog(log, now, screenWidth);
    }
  }

  private void updateVertex(VertexState vertex, Instant now, int screenWidth) {
    TraceVertex previous = byDigest.get(vertex.digest());
    TraceVertex traced = previous;
    if (traced == null) {
      traced = new TraceVertex(vertex, null);
      if (console) {
        traced.screen = newScreen(screenWidth);
      }
      byDigest.put(vertex.digest(), traced);
    }

    triggerVertexEvent(traced, vertex, now);
    if (vertex.started() != null && (previous == null || !previous.isStarted())) {
      if (localTimeDiff.isZero()) {
        localTimeDiff = Duration.between(vertex.started(), now);
      }
      vertexes.add(traced);
    }
    // A vertex that is sent again before it starts must not reset what is known about it.
    if (previous == null || !previous.isStarted() || vertex.started() != null) {
      traced.state = vertex;
    }
    if (vertex.started() != null) {
      traced.intervals.put(vertex.started(), new Interval(vertex.started(), vertex.completed()));
      traced.mergeIntervals();
    }
  }

  /** Counts a change of a started vertex, which makes the plain printer print it. */
  private void triggerVertexEvent(TraceVertex traced, VertexState vertex, Instant now) {
    if (vertex.started() == null) {
      return;
    }
    VertexState old = traced.previous;
    boolean changed =
        old == null
            || !vertex.name().equals(old.name())
            || !vertex.started().equals(old.started())
            || vertex.completed() != null
            || vertex.cached() != old.cached()
            || !vertex.error().equals(old.error());
    if (changed) {
      traced.update(1, now);
      updates.add(vertex.digest());
    }
    traced.previous = vertex;
  }

  private TraceVertex addToGroup(VertexState vertex, int screenWidth) {
    ProgressGroup progressGroup = vertex.progressGroup();
    TraceVertex group = groups.get(progressGroup.id());
    if (group == null) {
      VertexState groupState =
          new VertexState(progressGroup.id(), List.of(), progressGroup.name(), false, null, null, "", null);
      group = new TraceVertex(groupState, new LinkedHashMap<>());
      group.hidden = true;
      if (console) {
        group.screen = newScreen(screenWidth);
      }
      groups.put(progressGroup.id(), group);
      byDigest.put(progressGroup.id(), group);
    }
    group.members.put(vertex.digest(), vertex);
    byDigest.put(vertex.digest(), group);
    return group;
  }

  /**
   * Recomputes a group from its members: it runs while any member runs, is cached only when all
   * members are, takes the first member error, and shows once a member that is not weak starts.
   */
  private void refreshGroup(TraceVertex group, Instant now) {
    boolean alreadyStarted = group.isStarted();
    boolean wasHidden = group.hidden;
    boolean changed = false;
    boolean newlyStarted = false;
    boolean cached = true;
    // As in BuildKit, an error once seen stays, and a second error reveals the group.
    String error = group.state.error();

    for (VertexState member : group.members.values()) {
      if (member.started() != null) {
        Interval interval = new Interval(member.started(), member.completed());
        if (!interval.equals(group.intervals.get(member.started()))) {
          changed = true;
        }
        if (!alreadyStarted) {
          newlyStarted = true;
        }
        group.intervals.put(member.started(), interval);
        if (!member.progressGroup().weak()) {
          group.hidden = false;
        }
      }
      cached = cached && member.cached();
      if (error.isEmpty()) {
        error = member.error();
      } else {
        group.hidden = false;
      }
    }

    VertexState old = group.state;
    if (old.cached() != cached || !old.error().equals(error)) {
      changed = true;
    }
    group.state =
        new VertexState(old.digest(), List.of(), old.name(), cached, old.started(), old.completed(), error, null);
    boolean newlyRevealed = wasHidden && !group.hidden;
    if (newlyRevealed) {
      changed = true;
    }
    group.mergeIntervals();

    if (newlyStarted && localTimeDiff.isZero() && group.isStarted()) {
      localTimeDiff = Duration.between(group.mergedIntervals.get(0).start(), now);
    }
    if (group.hidden) {
      return;
    }
    if (newlyRevealed) {
      vertexes.add(group);
    }
    if (changed) {
      group.update(1, now);
      updates.add(group.state.digest());
    }
  }

  private void updateTask(VertexProgress progress, Instant now) {
    TraceVertex vertex = byDigest.get(progress.vertex());
    if (vertex == null) {
      return;
    }
    VertexProgress previous = vertex.statusById.get(progress.id());
    if (progress.started() != null
        && (previous == null || previous.started() == null)
        && !vertex.statusIds.contains(progress.id())) {
      vertex.statusIds.add(progress.id());
    }
    vertex.statusById.put(progress.id(), progress);
    vertex.statusUpdates.add(progress.id());
    updates.add(vertex.state.digest());
    vertex.update(1, now);
  }

  private void appendLog(VertexLog log, Instant now, int screenWidth) {
    TraceVertex vertex = byDigest.get(log.vertex());
    if (vertex == null || log.data().length == 0) {
      return;
    }

    if (vertex.screen != null) {
      int width = Math.max(1, screenWidth - SCREEN_PADDING);
      if (vertex.screen.width() != width) {
        vertex.screen.resize(SCREEN_HEIGHT, width);
      }
      vertex.screenBytes += log.data().length;
      vertex.screen.write(log.data());
    }

    byte[] data = log.data();
    int lineStart = 0;
    boolean first = true;
    while (lineStart < data.length) {
      int newline = indexOf(data, (byte) '\n', lineStart);
      int lineEnd = newline < 0 ? data.length : newline;
      byte[] piece = Arrays.copyOfRange(data, lineStart, lineEnd);
      if (first && vertex.logsPartial && !vertex.logs.isEmpty()) {
        int last = vertex.logs.size() - 1;
        vertex.logs.set(last, concat(vertex.logs.get(last), piece));
        vertex.keptLogBytes += piece.length;
      } else {
        byte[] line = concat(timeOffset(vertex, log.timestamp()), piece);
        vertex.logs.add(line);
        vertex.keptLogBytes += line.length;
      }
      first = false;
      if (newline < 0) {
        lineStart = data.length;
        vertex.logsPartial = true;
      } else {
        lineStart = newline + 1;
        vertex.logsPartial = false;
      }
    }
    if (console) {
      dropOldLines(vertex);
    }

    updates.add(vertex.state.digest());
    vertex.update(1, now);
  }

  /** Formats the seconds since the vertex's latest start as BuildKit prefixes output lines. */
  private static byte[] timeOffset(TraceVertex vertex, Instant timestamp) {
    double seconds = 0;
    Interval interval = vertex.mostRecentInterval();
    if (interval != null) {
      seconds = NumberFormats.seconds(interval.start(), timestamp);
    }
    int decimals = 1;
    if (seconds < 10) {
      decimals = 3;
    } else if (seconds < 100) {
      decimals = 2;
    }
    return (NumberFormats.fixed(seconds, decimals) + " ").getBytes(StandardCharsets.UTF_8);
  }

  private static void dropOldLines(TraceVertex vertex) {
    while (vertex.keptLogBytes > MAX_KEPT_LOG_BYTES && vertex.logs.size() > 1) {
      vertex.keptLogBytes -= vertex.logs.remove(0).length;
    }
  }

  private LogScreen newScreen(int screenWidth) {
    return new LogScreen(SCREEN_HEIGHT, Math.max(1, screenWidth - SCREEN_PADDING));
  }

  /**
   * Returns the output lines to show under a failed vertex: the last lines the plain printer
   * printed, or every kept line in the tty view.
   */
  List<byte[]> failureLogLines(TraceVertex vertex) {
    if (console) {
      return List.copyOf(vertex.logs);
    }
    List<byte[]> lines = new ArrayList<>(vertex.lastLogLines);
    if (vertex.logsPartial && !vertex.logs.isEmpty()) {
      // An unfinished last line takes the place of the oldest one.
      if (lines.size() == TraceVertex.FAILURE_LOG_LINES) {
        lines.remove(0);
      }
      lines.add(vertex.logs.get(vertex.logs.size() - 1));
    }
    return lines;
  }

  /** Returns the started vertexes that failed for a reason other than cancellation. */
  List<TraceVertex> failedVertexes() {
    List<TraceVertex> failed = new ArrayList<>();
    for (TraceVertex vertex : vertexes) {
      if (!vertex.state.error().isEmpty() && !vertex.isCanceled()) {
        failed.add(vertex);
      }
    }
    return failed;
  }

  private static int indexOf(byte[] data, byte value, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[] first, byte[] second) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream(first.length + second.length);
    joined.writeBytes(first);
    joined.writeBytes(second);
    return joined.toByteArray();
  }
}
