package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a {@link Trace} as numbered plain text, the format of docker buildx's
 * {@code --progress=plain} (moby/buildkit util/progress/progressui/printer.go).
 *
 * <p>Each vertex gets a number when it is first printed. While several vertexes run, output stays
 * with one of them and switches, printing {@code #N ...}, only after the others have waited long
 * enough; this keeps related lines together in CI logs.
 */
final class PlainPrinter {

  /** How long another vertex must wait, scaled by its share of updates, before output switches. */
  private static final Duration ANTI_FLICKER = Duration.ofSeconds(5);
  /** How long another vertex may wait at most before output switches to it. */
  private static final Duration MAX_DELAY = Duration.ofSeconds(10);
  /** The time after which a running task's line is printed again, even without progress. */
  private static final Duration MIN_TIME_DELTA = Duration.ofSeconds(5);
  /** The share of its total after which a running task's line is printed again. */
  private static final double MIN_PROGRESS_DELTA = 0.05;

  private record LastTaskLine(long current, Instant timestamp) {}

  private record VertexStats(Duration blockTime, double speed, boolean overLimit) {}

  private final TextOutput out;
  private String current = "";
  private final Map<String, LastTaskLine> lastTaskLines = new HashMap<>();
  private boolean notFirst;
  private int nextIndex;

  PlainPrinter(TextOutput out) {
    this.out = out;
  }

  /** Prints what changed since the last call. */
  void print(Trace trace, Instant now) {
    Map<String, TraceVertex> completed = new LinkedHashMap<>();
    Map<String, TraceVertex> rest = new LinkedHashMap<>();
    for (String digest : trace.updates) {
      TraceVertex vertex = trace.byDigest.get(digest);
      if (vertex == null || vertex.inGroup() || vertex.hidden) {
        continue;
      }
      if (vertex.isCompleted()) {
        completed.put(digest, vertex);
      } else {
        rest.put(digest, vertex);
      }
    }

    String active = current;
    // Finished vertexes print first, the one being printed before the others.
    if (completed.containsKey(active)) {
      printVertex(trace, active, now);
    }
    List<String> byStop = new ArrayList<>(completed.keySet());
    byStop.sort(Comparator.comparing(digest -> completed.get(digest).mostRecentInterval().stop()));
    for (String digest : byStop) {
      if (!digest.equals(active)) {
        printVertex(trace, digest, now);
      }
    }

    if (rest.isEmpty()) {
      activateOpenVertex(trace, active, now);
      return;
    }

    if (rest.containsKey(active)) {
      printVertex(trace, active, now);
    }
    printWaitingVertex(trace, rest, active, completed.containsKey(active), now);
  }

  /** Makes a vertex that still runs the one being printed when nothing else changed. */
  private void activateOpenVertex(Trace trace, String active, Instant now) {
    if (!active.isEmpty()) {
      TraceVertex vertex = trace.byDigest.get(active);
      if (vertex != null && vertex.isStarted() && !vertex.isCompleted()) {
        return;
      }
    }
    for (Map.Entry<String, TraceVertex> entry : trace.byDigest.entrySet()) {
      TraceVertex vertex = entry.getValue();
      if (vertex.isStarted() && !vertex.isCompleted() && !vertex.inGroup() && !vertex.hidden) {
        printVertex(trace, entry.getKey(), now);
        return;
      }
    }
  }

  /**
   * Decides whether output switches from the vertex being printed to one with waiting updates: at
   * once when the printed one finished, when one waited longer than {@link #MAX_DELAY}, or when
   * the printed one has held output longer than its share of updates earns it.
   */
  private void printWaitingVertex(
      Trace trace, Map<String, TraceVertex> rest, String active, boolean activeCompleted, Instant now) {
    Map<String, TraceVertex> candidates = new LinkedHashMap<>(rest);
    if (!active.isEmpty() && trace.byDigest.containsKey(active)) {
      candidates.put(active, trace.byDigest.get(active));
    }

    Map<String, VertexStats> stats = new LinkedHashMap<>();
    double sum = 0;
    String fastest = "";
    for (Map.Entry<String, TraceVertex> entry : candidates.entrySet()) {
      TraceVertex vertex = entry.getValue();
      if (vertex.lastBlockTime == null) {
        continue;
      }
      Duration blockTime = Duration.between(vertex.lastBlockTime, now);
      double speed = vertex.count / NumberFormats.seconds(blockTime);
      boolean overLimit = blockTime.compareTo(MAX_DELAY) > 0 && !entry.getKey().equals(active);
      stats.put(entry.getKey(), new VertexStats(blockTime, speed, overLimit));
      sum += speed;
      if (overLimit || fastest.isEmpty() || stats.get(fastest).speed() < speed) {
        fastest = entry.getKey();
      }
    }

    if (activeCompleted || active.isEmpty()) {
      printVertex(trace, fastest, now);
      return;
    }

    for (String digest : rest.keySet()) {
      VertexStats waiting = stats.get(digest);
      if (waiting != null && waiting.overLimit()) {
        printVertex(trace, digest, now);
        return;
      }
    }

    VertexStats activeStats = stats.get(active);
    if (activeStats == null) {
      return;
    }
    double share = activeStats.speed() / sum;
    double allowedSeconds = 1.0 / (1.0 - share) * NumberFormats.seconds(ANTI_FLICKER);
    if (allowedSeconds < NumberFormats.seconds(activeStats.blockTime())) {
      printVertex(trace, fastest, now);
    }
  }

  private void printVertex(Trace trace, String digest, Instant now) {
    TraceVertex vertex = trace.byDigest.get(digest);
    if (vertex == null) {
      return;
    }
    if (vertex.index == 0) {
      vertex.index = ++nextIndex;
    }

    if (!digest.equals(current)) {
      switchTo(trace, vertex);
    }

    boolean openTask = printTasks(vertex);
    printWarnings(vertex);
    printLogs(vertex);

    current = digest;
    if (vertex.isCompleted() && !openTask) {
      current = "";
      vertex.count = 0;
      if (vertex.logsPartial) {
        out.print('\n');
      }
      printResult(vertex, now);
    }
    trace.updates.remove(digest);
  }

  /** Leaves the vertex being printed with {@code #N ...} and starts a block for another. */
  private void switchTo(Trace trace, TraceVertex vertex) {
    if (!current.isEmpty()) {
      TraceVertex old = trace.byDigest.get(current);
      if (old != null) {
        if (old.logsPartial) {
          out.print('\n');
        }
        old.logsOffset = 0;
        old.count = 0;
        out.print("#" + old.index + " ...\n");
      }
    }

    if (notFirst) {
      out.print('\n');
    }
    notFirst = true;
    out.print("#" + vertex.index + " " + vertex.state.name() + "\n");
  }

  /**
   * Prints tasks that changed, skipping a running task's update when it moved less than {@link
   * #MIN_PROGRESS_DELTA} of its total within {@link #MIN_TIME_DELTA}.
   *
   * @return whether a printed task still runs, which keeps the vertex's block open
   */
  private boolean printTasks(TraceVertex vertex) {
    boolean openTask = false;
    for (String id : vertex.statusIds) {
      if (!vertex.statusUpdates.contains(id)) {
        continue;
      }
      VertexProgress task = vertex.statusById.get(id);
      LastTaskLine last = lastTaskLines.get(id);
      if (last != null && task.completed() == null) {
        double progressDelta = 0;
        if (task.total() > 0) {
          progressDelta = (double) (task.current() - last.current()) / task.total();
        }
        Duration timeDelta = Duration.between(last.timestamp(), task.timestamp());
        if (progressDelta < MIN_PROGRESS_DELTA && timeDelta.compareTo(MIN_TIME_DELTA) < 0) {
          continue;
        }
      }
      lastTaskLines.put(id, new LastTaskLine(task.current(), task.timestamp()));

      out.print("#" + vertex.index + " " + id + taskLine(task) + "\n");
      if (task.completed() == null) {
        openTask = true;
      }
    }
    vertex.statusUpdates.clear();
    return openTask;
  }

  /** Formats a task's size and time, such as {@code " 1.20MB / 3.40MB 0.2s done"}. */
  static String taskLine(VertexProgress task) {
    StringBuilder line = new StringBuilder();
    if (task.total() != 0) {
      line.append(' ').append(NumberFormats.bytes(task.current()));
      line.append(" / ").append(NumberFormats.bytes(task.total()));
    } else if (task.current() != 0) {
      line.append(' ').append(NumberFormats.bytes(task.current()));
    }

    Instant end = task.completed() != null ? task.completed() : task.timestamp();
    if (task.started() != null) {
      double seconds = NumberFormats.seconds(task.started(), end);
      if (seconds > 0.01) {
        line.append(' ').append(NumberFormats.fixed(seconds, 1)).append('s');
      }
    }
    if (task.completed() != null) {
      line.append(" done");
    }
    return line.toString();
  }

  private void printWarnings(TraceVertex vertex) {
    List<VertexWarning> warnings = vertex.warnings;
    for (; vertex.warningIndex < warnings.size(); vertex.warningIndex++) {
      out.print("#" + vertex.index + " WARN: " + warnings.get(vertex.warningIndex).message() + "\n");
    }
  }

  /**
   * Prints the vertex's new lines. A line that has not ended yet is printed without a newline, and
   * its rest follows on the same line when it arrives, unless another vertex was printed between.
   */
  private void printLogs(TraceVertex vertex) {
    List<byte[]> logs = vertex.logs;
    byte[] prefix = ("#" + vertex.index + " ").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < logs.size(); i++) {
      byte[] line = logs.get(i);
      if (i == 0 && vertex.logsOffset != 0) {
        out.write(line, vertex.logsOffset, line.length - vertex.logsOffset);
      } else {
        out.write(prefix, 0, prefix.length);
        out.write(line, 0, line.length);
      }

      boolean unfinished = i == logs.size() - 1 && vertex.logsPartial;
      if (!unfinished) {
        out.print('\n');
        vertex.rememberLine(line);
      }
    }

    if (!logs.isEmpty()) {
      if (vertex.logsPartial) {
        byte[] unfinished = logs.get(logs.size() - 1);
        logs.clear();
        logs.add(unfinished);
        vertex.logsOffset = unfinished.length;
        vertex.keptLogBytes = unfinished.length;
      } else {
        logs.clear();
        vertex.logsOffset = 0;
        vertex.keptLogBytes = 0;
      }
    }
  }

  private void printResult(TraceVertex vertex, Instant now) {
    String error = vertex.state.error();
    if (!error.isEmpty()) {
      if (vertex.isCanceled()) {
        out.print("#" + vertex.index + " CANCELED\n");
      } else {
        out.print("#" + vertex.index + " ERROR: " + error + "\n");
      }
    } else if (vertex.state.cached()) {
      out.print("#" + vertex.index + " CACHED\n");
    } else {
      String time = "";
      List<Interval> merged = Interval.merge(vertex.intervals.values());
      if (!merged.isEmpty()) {
        double seconds = 0;
        for (Interval interval : merged) {
          seconds += NumberFormats.seconds(interval.duration(now));
        }
        time = " " + NumberFormats.fixed(seconds, 1) + "s";
      }
      out.print("#" + vertex.index + " DONE" + time + "\n");
    }
  }
}
