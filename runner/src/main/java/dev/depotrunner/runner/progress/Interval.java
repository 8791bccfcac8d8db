package dev.depotrunner.runner.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A span of time in which a vertex or a task ran.
 *
 * @param start null when it has not started
 * @param stop null while it runs
 */
record Interval(Instant start, Instant stop) {

  /** Returns how long the span lasted, or has lasted until {@code now} while it runs. */
  Duration duration(Instant now) {
    if (start == null) {
      return Duration.ZERO;
    }
    return Duration.between(start, stop == null ? now : stop);
  }

  Interval shift(Duration offset) {
    return new Interval(
        start == null ? null : start.plus(offset), stop == null ? null : stop.plus(offset));
  }

  /**
   * Merges overlapping spans into one, sorted by start. A span that still runs absorbs every span
   * that starts after it, and spans that have not started are dropped.
   */
  static List<Interval> merge(Collection<Interval> intervals) {
    List<Interval> sorted = new ArrayList<>();
    for (Interval interval : intervals) {
      if (interval.start != null) {
        sorted.add(interval);
      }
    }
    sorted.sort(Comparator.comparing(Interval::start));

    List<Interval> merged = new ArrayList<>();
    if (sorted.isEmpty()) {
      return merged;
    }
    Interval current = sorted.get(0);
    for (Interval next : sorted.subList(1, sorted.size())) {
      if (current.stop == null) {
        break;
      }
      if (current.stop.isBefore(next.start)) {
        merged.add(current);
        current = next;
        continue;
      }
      if (next.stop == null) {
        current = new Interval(current.start, null);
        break;
      }
      if (!current.stop.isBefore(next.stop)) {
        continue;
      }
      current = new Interval(current.start, next.stop);
    }
    merged.add(current);
    return merged;
  }
}
