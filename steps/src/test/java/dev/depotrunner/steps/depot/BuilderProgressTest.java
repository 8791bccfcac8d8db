package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.steps.events.BuildEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuilderProgressTest {

  private static final String COPY = "sha256:" + "c".repeat(64);
  private static final String CONTEXT = "sha256:" + "a".repeat(64);
  private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64");

  private static SolveStatus status() {
    Instant now = Instant.now();
    var copy = new VertexState(COPY, List.of(CONTEXT), "[1/1] COPY a /a", false, now, null, "", null);
    var context = new VertexState(CONTEXT, List.of(), "[internal] load build context", false, now, now, "", null);
    var task = new VertexProgress("transfer", CONTEXT, "transferring context", 1, 2, now, now, null);
    var log = new VertexLog(COPY, now, 1, "copied".getBytes(StandardCharsets.UTF_8));
    return new SolveStatus(List.of(copy, context), List.of(task), List.of(log), List.of());
  }

  @Test
  void label_renamesAndKeepsGraph() {
    List<BuildEvent> events = new ArrayList<>();
    var amd64 = new BuilderProgress(events::add, "amd64", new BuilderProgress.Shared(PLATFORMS));

    amd64.onEvent(new BuildEvent.Progress("default", status()));

    SolveStatus labelled = ((BuildEvent.Progress) events.get(0)).status();
    VertexState copy = labelled.vertexes().get(0);
    VertexState context = labelled.vertexes().get(1);
    assertEquals("[amd64 1/1] COPY a /a", copy.name());
    assertEquals("[amd64 internal] load build context", context.name());
    assertEquals(List.of(context.digest()), copy.inputs());
    assertEquals(context.digest(), labelled.statuses().get(0).vertex());
    assertEquals(copy.digest(), labelled.logs().get(0).vertex());
    assertTrue(copy.digest().matches("sha256:[0-9a-f]{64}"), copy.digest());
  }

  @Test
  void label_separatesBuilders() {
    var amd64 = new BuilderProgress(event -> {}, "amd64", new BuilderProgress.Shared(PLATFORMS));
    var arm64 = new BuilderProgress(event -> {}, "arm64", new BuilderProgress.Shared(PLATFORMS));

    assertNotEquals(amd64.digest(COPY), arm64.digest(COPY));
    assertEquals(amd64.digest(COPY), amd64.digest(COPY));
    assertEquals("", amd64.digest(""));
  }

  @Test
  void succeeded_isLeftOut() {
    List<BuildEvent> events = new ArrayList<>();
    var arm64 = new BuilderProgress(events::add, "arm64", new BuilderProgress.Shared(PLATFORMS));

    arm64.onEvent(new BuildEvent.Succeeded("default", Map.of(), Instant.now()));
    arm64.onEvent(new BuildEvent.Failed("default", "failed to solve", COPY, null, Instant.now()));

    assertEquals(1, events.size());
    assertEquals(arm64.digest(COPY), ((BuildEvent.Failed) events.get(0)).vertex());
  }

  @Test
  void started_isPassedOnceWithAllPlatforms() {
    List<BuildEvent> events = new ArrayList<>();
    var shared = new BuilderProgress.Shared(PLATFORMS);
    var amd64 = new BuilderProgress(events::add, "amd64", shared);
    var arm64 = new BuilderProgress(events::add, "arm64", shared);

    arm64.onEvent(new BuildEvent.Started("default", "arm64 builder", List.of("linux/arm64"), Instant.now()));
    amd64.onEvent(new BuildEvent.Started("default", "amd64 builder", List.of("linux/amd64"), Instant.now()));

    assertEquals(1, events.size());
    BuildEvent.Started start = (BuildEvent.Started) events.get(0);
    assertEquals("arm64 builder", start.builder());
    assertEquals(PLATFORMS, start.platforms());
  }

  @Test
  void notice_isPassedOnce() {
    List<BuildEvent> events = new ArrayList<>();
    var shared = new BuilderProgress.Shared(PLATFORMS);
    var amd64 = new BuilderProgress(events::add, "amd64", shared);
    var arm64 = new BuilderProgress(events::add, "arm64", shared);
    var warning = new BuildEvent.Notice("default", BuildEvent.Level.WARNING, "No output specified");

    amd64.onEvent(warning);
    arm64.onEvent(warning);
    arm64.onEvent(new BuildEvent.Notice("default", BuildEvent.Level.INFO, "No output specified"));

    assertEquals(2, events.size());
    assertEquals(warning, events.get(0));
  }
}
