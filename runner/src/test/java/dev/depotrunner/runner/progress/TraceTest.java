package dev.depotrunner.runner.progress;

import static dev.depotrunner.runner.progress.Statuses.at;
import static dev.depotrunner.runner.progress.Statuses.grouped;
import static dev.depotrunner.runner.progress.Statuses.log;
import static dev.depotrunner.runner.progress.Statuses.logs;
import static dev.depotrunner.runner.progress.Statuses.vertex;
import static dev.depotrunner.runner.progress.Statuses.vertexes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.progress.ProgressGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTest {

  private static List<String> lines(TraceVertex vertex) {
    return vertex.logs.stream().map(line -> new String(line, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void update_addsVertexOnlyWhenItStarts() {
    Trace trace = new Trace(false);

    trace.update(vertexes(vertex("sha256:a", "[1/2] RUN make", null, null)), at(0), 80);
    assertTrue(trace.vertexes.isEmpty());
    assertTrue(trace.updates.isEmpty());

    trace.update(vertexes(vertex("sha256:a", "[1/2] RUN make", 1.0, null)), at(1.2), 80);
    assertEquals(1, trace.vertexes.size());
    assertTrue(trace.updates.contains("sha256:a"));
    assertEquals(at(1.0), trace.startTime);
    assertEquals(Duration.ofMillis(200), trace.localTimeDiff);
  }

  @Test
  void update_mergesRunsOfSameVertex() {
    Trace trace = new Trace(false);

    trace.update(vertexes(vertex("sha256:a", "[internal] load build context", 1.0, 1.1)), at(1.1), 80);
    trace.update(vertexes(vertex("sha256:a", "[internal] load build context", 2.0, null)), at(2.0), 80);

    TraceVertex traced = trace.byDigest.get("sha256:a");
    assertEquals(1, trace.vertexes.size());
    assertEquals(2, traced.mergedIntervals.size());
    assertFalse(traced.isCompleted());
  }

  @Test
  void update_splitsOutputAtLineEnds() {
    Trace trace = new Trace(false);
    trace.update(vertexes(vertex("sha256:a", "RUN", 1.0, null)), at(1.0), 80);

    trace.update(logs(log("sha256:a", 1.25, "one\ntw")), at(1.3), 80);
    trace.update(logs(log("sha256:a", 12.5, "o\nthree")), at(12.5), 80);

    TraceVertex traced = trace.byDigest.get("sha256:a");
    assertEquals(List.of("0.250 one", "0.250 two", "11.50 three"), lines(traced));
    assertTrue(traced.logsPartial);
  }

  @Test
  void update_formatsTimeOffsetsByMagnitude() {
    Trace trace = new Trace(false);
    trace.update(vertexes(vertex("sha256:a", "RUN", 1.0, null)), at(1.0), 80);

    trace.update(logs(log("sha256:a", 1.0, "a\n"), log("sha256:a", 11.5, "b\n"), log("sha256:a", 124.0, "c\n")), at(124), 80);

    assertEquals(List.of("0.000 a", "10.50 b", "123.0 c"), lines(trace.byDigest.get("sha256:a")));
  }

  @Test
  void update_ignoresOutputForUnknownVertex() {
    Trace trace = new Trace(false);

    trace.update(logs(log("sha256:unknown", 1.0, "lost\n")), at(1.0), 80);

    assertTrue(trace.byDigest.isEmpty());
    assertTrue(trace.updates.isEmpty());
  }

  @Test
  void update_hidesWeakGroupUntilStrongMemberStarts() {
    Trace trace = new Trace(false);
    ProgressGroup weak = new ProgressGroup("group-1", "exporting cache", true);
    ProgressGroup strong = new ProgressGroup("group-1", "exporting cache", false);

    trace.update(vertexes(grouped("sha256:m1", weak, 1.0, 1.5)), at(1.5), 80);
    TraceVertex group = trace.byDigest.get("group-1");
    assertTrue(group.hidden);
    assertTrue(trace.vertexes.isEmpty());
    assertSame(group, trace.byDigest.get("sha256:m1"));

    trace.update(vertexes(grouped("sha256:m2", strong, 2.0, null)), at(2.0), 80);
    assertFalse(group.hidden);
    assertEquals(List.of(group), trace.vertexes);
    assertEquals("exporting cache", group.state.name());
    assertEquals(2, group.mergedIntervals.size());
    assertFalse(group.isCompleted());
  }

  @Test
  void update_groupIsCachedOnlyWhenAllMembersAre() {
    Trace trace = new Trace(false);
    ProgressGroup group = new ProgressGroup("group-1", "merging", false);

    trace.update(
        vertexes(
            new dev.depotrunner.buildkit.progress.VertexState(
                "sha256:m1", List.of(), "m1", true, at(1), at(1), "", group),
            grouped("sha256:m2", group, 1.0, 1.4)),
        at(1.5),
        80);

    TraceVertex traced = trace.byDigest.get("group-1");
    assertFalse(traced.state.cached());
    assertTrue(traced.isCompleted());
  }

  @Test
  void failureLogLines_plainKeepsLastTenLines() {
    Trace trace = new Trace(false);
    trace.update(vertexes(vertex("sha256:a", "RUN", 1.0, null)), at(1.0), 80);
    TraceVertex traced = trace.byDigest.get("sha256:a");
    for (int i = 1; i <= 12; i++) {
      traced.rememberLine(("line " + i).getBytes(StandardCharsets.UTF_8));
    }

    List<byte[]> lines = trace.failureLogLines(traced);

    assertEquals(10, lines.size());
    assertEquals("line 3", new String(lines.get(0), StandardCharsets.UTF_8));
  }

  @Test
  void failureLogLines_ttyKeepsEveryLine() {
    Trace trace = new Trace(true);
    trace.update(vertexes(vertex("sha256:a", "RUN", 1.0, null)), at(1.0), 80);
    StringBuilder output = new StringBuilder();
    for (int i = 1; i <= 30; i++) {
      output.append("line ").append(i).append('\n');
    }

    trace.update(logs(log("sha256:a", 1.5, output.toString())), at(1.5), 80);

    assertEquals(30, trace.failureLogLines(trace.byDigest.get("sha256:a")).size());
  }

  @Test
  void update_ttyDropsOldestOutputPastBound() {
    Trace trace = new Trace(true);
    trace.update(vertexes(vertex("sha256:a", "RUN", 1.0, null)), at(1.0), 80);
    String line = "x".repeat(1000) + "\n";

    for (int batch = 0; batch < 2100; batch++) {
      trace.update(logs(log("sha256:a", 1.5, line)), at(1.5), 80);
    }

    TraceVertex traced = trace.byDigest.get("sha256:a");
    long kept = traced.logs.stream().mapToLong(keptLine -> keptLine.length).sum();
    assertEquals(kept, traced.keptLogBytes);
    assertTrue(kept <= Trace.MAX_KEPT_LOG_BYTES, "kept " + kept + " bytes");
    assertTrue(kept > Trace.MAX_KEPT_LOG_BYTES - 1100, "kept " + kept + " bytes");
  }
}
