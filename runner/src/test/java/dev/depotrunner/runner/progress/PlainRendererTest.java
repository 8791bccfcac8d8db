package dev.depotrunner.runner.progress;

import static dev.depotrunner.runner.progress.Statuses.at;
import static dev.depotrunner.runner.progress.Statuses.log;
import static dev.depotrunner.runner.progress.Statuses.logs;
import static dev.depotrunner.runner.progress.Statuses.progress;
import static dev.depotrunner.runner.progress.Statuses.task;
import static dev.depotrunner.runner.progress.Statuses.tasks;
import static dev.depotrunner.runner.progress.Statuses.vertex;
import static dev.depotrunner.runner.progress.Statuses.vertexes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.steps.events.BuildEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainRendererTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ManualClock clock = new ManualClock(at(0));

  private PlainRenderer renderer(ProgressOptions options) {
    return new PlainRenderer(new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8)), options, clock, null);
  }

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void send(PlainRenderer renderer, double seconds, BuildEvent event) {
    clock.set(at(seconds));
    renderer.onEvent(event);
  }

  @Test
  void update_waitsHundredMillisBetweenPrints() {
    PlainRenderer renderer = renderer(ProgressOptions.defaults());

    send(renderer, 1.00, progress(vertexes(vertex("sha256:a", "[1/1] RUN make", 1.0, null))));
    send(renderer, 1.05, progress(logs(log("sha256:a", 1.04, "first\n"))));
    assertEquals("#1 [1/1] RUN make\n", output());

    send(renderer, 1.10, progress(logs(log("sha256:a", 1.09, "second\n"))));
    assertEquals("#1 [1/1] RUN make\n#1 0.040 first\n#1 0.090 second\n", output());
  }

  @Test
  void refreshIfIdle_printsWhatWaited() {
    PlainRenderer renderer = renderer(ProgressOptions.defaults());
    send(renderer, 1.00, progress(vertexes(vertex("sha256:a", "[1/1] RUN make", 1.0, null))));
    send(renderer, 1.05, progress(logs(log("sha256:a", 1.04, "first\n"))));

    clock.set(at(1.20));
    renderer.refreshIfIdle();

    assertEquals("#1 [1/1] RUN make\n#1 0.040 first\n", output());
  }

  @Test
  void tasks_printAgainAfterFivePercentOrFiveSeconds() {
    PlainRenderer renderer = renderer(ProgressOptions.defaults());
    send(renderer, 1.0, progress(vertexes(vertex("sha256:a", "[1/2] FROM alpine", 1.0, null))));

    send(renderer, 1.2, progress(tasks(task("sha256:a", "sha256:f182", 1.2, 1.0, null, 1_000_000, 10_000_000))));
    send(renderer, 1.4, progress(tasks(task("sha256:a", "sha256:f182", 1.4, 1.0, null, 1_400_000, 10_000_000))));
    send(renderer, 1.6, progress(tasks(task("sha256:a", "sha256:f182", 1.6, 1.0, null, 1_600_000, 10_000_000))));
    send(renderer, 7.0, progress(tasks(task("sha256:a", "sha256:f182", 7.0, 1.0, null, 1_800_000, 10_000_000))));
    send(renderer, 7.5, progress(tasks(task("sha256:a", "sha256:f182", 7.5, 1.0, 7.5, 10_000_000, 10_000_000))));

    assertEquals(
        "#1 [1/2] FROM alpine\n"
            + "#1 sha256:f182 1.00MB / 10.00MB 0.2s\n"
            + "#1 sha256:f182 1.60MB / 10.00MB 0.6s\n"
            + "#1 sha256:f182 1.80MB / 10.00MB 6.0s\n"
            + "#1 sha256:f182 10.00MB / 10.00MB 6.5s done\n",
        output());
  }

  @Test
  void notice_debugOnlyWithDebugOption() {
    PlainRenderer quiet = renderer(ProgressOptions.defaults());
    send(quiet, 1.0, new BuildEvent.Notice("default", BuildEvent.Level.DEBUG, "session attached"));
    send(quiet, 1.0, new BuildEvent.Notice("default", BuildEvent.Level.WARNING, "--load ignored"));
    assertEquals("WARNING: --load ignored\n", output());

    bytes.reset();
    PlainRenderer debug = renderer(ProgressOptions.defaults().withDebug(true));
    send(debug, 1.0, new BuildEvent.Notice("default", BuildEvent.Level.DEBUG, "session attached"));
    assertEquals("DEBUG: session attached\n", output());
  }

  @Test
  void multiTarget_prefixesVertexNames() {
    PlainRenderer renderer = renderer(ProgressOptions.defaults().withMultiTarget(true));

    send(renderer, 1.0, new BuildEvent.Progress("app", vertexes(vertex("sha256:a", "[build 2/4] RUN make", 1.0, 1.5))));
    send(renderer, 2.0, new BuildEvent.Progress("docs", vertexes(vertex("sha256:b", "exporting to image", 1.6, 1.9))));

    assertEquals(
        "#1 [app build 2/4] RUN make\n#1 DONE 0.5s\n\n#2 [docs] exporting to image\n#2 DONE 0.3s\n",
        output());
  }

  @Test
  void close_ignoresLaterEventsAndSecondClose() {
    PlainRenderer renderer = renderer(ProgressOptions.defaults());
    send(renderer, 1.0, progress(vertexes(vertex("sha256:a", "[1/1] RUN make", 1.0, 1.2))));
    renderer.close();
    String closed = output();

    send(renderer, 2.0, progress(vertexes(vertex("sha256:b", "[1/1] RUN more", 2.0, 2.2))));
    renderer.close();

    assertEquals(closed, output());
    assertFalse(output().contains("RUN more"));
    assertTrue(renderer.warnings().isEmpty());
  }
}
