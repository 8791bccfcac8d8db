package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.steps.events.BuildEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SummaryTest {

  private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");
  private static final ReportContext NO_CONTEXT = new ReportContext(Map.of(), Optional.empty(), Optional.empty(),
      Optional.empty());

  private static VertexState step(String digest, String name, boolean cached, double startSeconds, double endSeconds) {
    return new VertexState(digest, List.of(), name, cached, AT.plusMillis((long) (startSeconds * 1000)),
        AT.plusMillis((long) (endSeconds * 1000)), "", null);
  }

  private static TargetRecord target(String name, BuildEvent... events) {
    var target = new TargetRecord(name);
    for (BuildEvent event : events) {
      target.add(event);
    }
    return target;
  }

  private static BuildEvent.Progress progress(String target, VertexState... vertexes) {
    return new BuildEvent.Progress(target, new SolveStatus(List.of(vertexes), List.of(), List.of(), List.of()));
  }

  private static Summary summary(List<TargetRecord> targets, List<Finding> findings) {
    return new Summary(CiEnvironment.detect(Map.of("CI", "true")), targets, NO_CONTEXT, findings, UnaryOperator.identity());
  }

  @Test
  void slowestStepsSkipCachedOnesLongestFirst() {
    TargetRecord target = target("default",
        progress("default",
            step("a", "[1/7] FROM base", true, 0, 0),
            step("b", "[2/7] RUN one", false, 0, 1),
            step("c", "[3/7] RUN two", false, 0, 6),
            step("d", "[4/7] RUN three", false, 0, 3),
            step("e", "[5/7] RUN four", false, 0, 2),
            step("f", "[6/7] RUN five", false, 0, 5),
            step("g", "[7/7] RUN six", false, 0, 4)));

    List<String> names = target.slowestSteps(5).stream().map(TargetRecord.StepTime::name).toList();

    assertEquals(List.of("[3/7] RUN two", "[6/7] RUN five", "[7/7] RUN six", "[4/7] RUN three", "[5/7] RUN four"), names);
    assertEquals("1 of 7 (14%)", Summary.cachedRatio(target));
  }

  @Test
  void laterVertexStateReplacesEarlier() {
    TargetRecord target = target("default",
        progress("default", new VertexState("a", List.of(), "RUN x", false, AT, null, "", null)),
        progress("default", step("a", "RUN x", false, 0, 2)));

    assertEquals(1, target.completedSteps());
    assertEquals(Duration.ofSeconds(2), target.slowestSteps(5).get(0).duration());
  }

  @Test
  void statusIsWorstOfTargets() {
    TargetRecord ok = target("app", new BuildEvent.Succeeded("app", Map.of(), AT));
    TargetRecord failed = target("docs", new BuildEvent.Failed("docs", "boom", "", null, AT));
    TargetRecord cancelled = target("web", new BuildEvent.Cancelled("web", AT));

    assertEquals("failed", summary(List.of(ok, failed, cancelled), List.of()).status());
    assertEquals("cancelled", summary(List.of(ok, cancelled), List.of()).status());
    assertEquals("succeeded", summary(List.of(ok), List.of()).status());
    assertEquals("unfinished", summary(List.of(), List.of()).status());
  }

  @Test
  void cancellationAfterFailureKeepsFailure() {
    TargetRecord target = target("app",
        new BuildEvent.Failed("app", "boom", "", null, AT),
        new BuildEvent.Cancelled("app", AT.plusSeconds(1)));

    assertEquals(TargetRecord.Status.FAILED, target.status());
  }

  @Test
  void longErrorFoldsIntoDetails() {
    String error = "failed to solve: exit code: 1\n" + "output line\n".repeat(20);
    var finding = new Finding(Finding.Severity.ERROR, "default", "Build failed", error, "Dockerfile", 3, 3, "");
    String markdown = summary(List.of(target("default")), List.of(finding)).markdown(1 << 20);

    assertTrue(markdown.contains("<details><summary>failed to solve: exit code: 1</summary>\n\n```text\n"), markdown);
    assertTrue(markdown.contains("\n```\n\n</details>\n"), markdown);
  }

  @Test
  void shortErrorStaysInline() {
    var finding = new Finding(Finding.Severity.ERROR, "default", "Build failed", "failed to solve: x", "", 0, 0, "");
    String markdown = summary(List.of(target("default")), List.of(finding)).markdown(1 << 20);

    assertTrue(markdown.contains("### Error\n\n```text\nfailed to solve: x\n```\n"), markdown);
    assertFalse(markdown.contains("<details>"));
  }

  @Test
  void errorWithBackticksGetsLongerFence() {
    var finding = new Finding(Finding.Severity.ERROR, "default", "Build failed", "bad ```text``` here", "", 0, 0, "");
    String markdown = summary(List.of(target("default")), List.of(finding)).markdown(1 << 20);

    assertTrue(markdown.contains("````text\nbad ```text``` here\n````\n"), markdown);
  }

  @Test
  void manyWarningsAreShortenedToFit() {
    List<Finding> warnings = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      warnings.add(new Finding(Finding.Severity.WARNING, "default", "Check", "warning number " + i + " " + "x".repeat(100),
          "Dockerfile", i + 1, i + 1, ""));
    }
    String markdown = summary(List.of(target("default")), warnings).markdown(100_000);

    assertTrue(Summary.utf8Length(markdown) <= 100_000, "length " + Summary.utf8Length(markdown));
    assertTrue(markdown.contains("### Warnings (5000)"), markdown);
    assertTrue(markdown.contains("- … and 4900 more in the log"), markdown);
  }

  @Test
  void lastResortCutsAtLineEnd() {
    String markdown = summary(List.of(target("default")), List.of()).markdown(120);

    assertTrue(Summary.utf8Length(markdown) <= 120, markdown);
    assertTrue(markdown.endsWith("_The summary was cut to fit the job summary's size limit; the log has all of it._\n"),
        markdown);
  }

  @Test
  void codeSpansHoldBackticksAndPipes() {
    assertEquals("`a \\| b`", Summary.code("a | b"));
    assertEquals("`` RUN echo `date` ``", Summary.code("RUN echo `date`"));
    assertEquals("`two lines`", Summary.code("two\nlines"));
  }

  @Test
  void durationsRead() {
    assertEquals("0.0s", Summary.duration(Duration.ZERO));
    assertEquals("4.2s", Summary.duration(Duration.ofMillis(4240)));
    assertEquals("1m 05s", Summary.duration(Duration.ofSeconds(65)));
    assertEquals("", Summary.duration(null));
  }

  @Test
  void multiTargetWarningsNameTarget() {
    var warning = new Finding(Finding.Severity.WARNING, "docs", "StageNameCasing", "Stage name 'Build' should be lowercase",
        "docs/Dockerfile", 2, 2, "https://docs.example/rule");
    String markdown = summary(List.of(target("app"), target("docs")), List.of(warning)).markdown(1 << 20);

    assertTrue(markdown.contains("- **StageNameCasing** `docs/Dockerfile:2` in `docs`: Stage name 'Build' should be"
        + " lowercase ([more](https://docs.example/rule))\n"), markdown);
  }
}
