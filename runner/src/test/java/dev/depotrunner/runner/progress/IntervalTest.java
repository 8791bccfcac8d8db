package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntervalTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static Interval span(double start, Double stop) {
    return new Interval(at(start), stop == null ? null : at(stop));
  }

  private static Instant at(double seconds) {
    return T0.plusMillis((long) (seconds * 1000));
  }

  @Test
  void merge_keepsSeparateSpansSorted() {
    List<Interval> merged = Interval.merge(List.of(span(5, 6.0), span(1, 2.0)));

    assertEquals(List.of(span(1, 2.0), span(5, 6.0)), merged);
  }

  @Test
  void merge_joinsOverlappingSpans() {
    List<Interval> merged = Interval.merge(List.of(span(1, 3.0), span(2, 4.0), span(2.5, 3.5)));

    assertEquals(List.of(span(1, 4.0)), merged);
  }

  @Test
  void merge_runningSpanAbsorbsLaterOnes() {
    List<Interval> merged = Interval.merge(List.of(span(1, null), span(2, 3.0), span(0, 0.5)));

    assertEquals(List.of(span(0, 0.5), span(1, null)), merged);
  }

  @Test
  void merge_overlapWithRunningSpanRuns() {
    List<Interval> merged = Interval.merge(List.of(span(1, 3.0), span(2, null), span(5, 6.0)));

    assertEquals(List.of(span(1, null)), merged);
  }

  @Test
  void merge_dropsSpansNotStarted() {
    List<Interval> merged = Interval.merge(List.of(new Interval(null, null), span(1, 2.0)));

    assertEquals(List.of(span(1, 2.0)), merged);
  }

  @Test
  void duration_countsRunningSpanUntilNow() {
    assertEquals(Duration.ofSeconds(4), span(1, null).duration(at(5)));
    assertEquals(Duration.ofSeconds(1), span(1, 2.0).duration(at(5)));
    assertEquals(Duration.ZERO, new Interval(null, null).duration(at(5)));
  }
}
