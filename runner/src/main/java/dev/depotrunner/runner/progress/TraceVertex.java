package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The renderers' record of one vertex, or of one progress group shown as a vertex: its last
 * reported state, its tasks, its output split into lines, its warnings, and the bookkeeping the
 * plain printer needs to interleave concurrent vertexes.
 */
final class TraceVertex {

  /** Lines of output kept per vertex to show when it fails (plain output keeps the last ones). */
  static final int FAILURE_LOG_LINES = 10;

  VertexState state;
  VertexState previous;
  int index;

  final List<String> statusIds = new ArrayList<>();
  final Map<String, VertexProgress> statusById = new LinkedHashMap<>();
  final Set<String> statusUpdates = new LinkedHashSet<>();

  /** Lines not yet printed (plain), or every line (tty); each starts with its time offset. */
  final List<byte[]> logs = new ArrayList<>();
  boolean logsPartial;
  int logsOffset;
  final Deque<byte[]> lastLogLines = new ArrayDeque<>();
  /** The size of {@link #logs} in bytes. */
  long keptLogBytes;

  Instant lastBlockTime;
  int count;

  final List<VertexWarning> warnings = new ArrayList<>();
  int warningIndex;

  LogScreen screen;
  long screenBytes;
  int screenShown;

  final Map<Instant, Interval> intervals = new LinkedHashMap<>();
  List<Interval> mergedIntervals = List.of();

  /** Whether this group has no started member that is not weak, so nothing shows it yet. */
  boolean hidden;

  /** The member vertexes when this is a progress group, by digest; null for a plain vertex. */
  final Map<String, VertexState> members;

  TraceVertex(VertexState state, Map<String, VertexState> members) {
    this.state = state;
    this.members = members;
  }

  void update(int changes, Instant now) {
    if (count == 0) {
      lastBlockTime = now;
    }
    count += changes;
  }

  Interval mostRecentInterval() {
    return mergedIntervals.isEmpty() ? null : mergedIntervals.get(mergedIntervals.size() - 1);
  }

  boolean isStarted() {
    return !mergedIntervals.isEmpty();
  }

  boolean isCompleted() {
    Interval interval = mostRecentInterval();
    return interval != null && interval.stop() != null;
  }

  boolean isCanceled() {
    return state.error().endsWith(Trace.CONTEXT_CANCELED);
  }

  boolean inGroup() {
    return state.progressGroup() != null;
  }

  void mergeIntervals() {
    mergedIntervals = Interval.merge(intervals.values());
  }

  /** Remembers a finished line for the failure summary that plain output prints. */
  void rememberLine(byte[] line) {
    lastLogLines.addLast(line);
    while (lastLogLines.size() > FAILURE_LOG_LINES) {
      lastLogLines.removeFirst();
    }
  }
}
