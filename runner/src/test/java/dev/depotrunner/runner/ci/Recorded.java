package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.runner.progress.EventScript;
import dev.depotrunner.runner.progress.ProgressRenderer;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replays recorded event streams into a reporter and compares what it wrote with golden files in
 * {@code src/test/resources/ci/golden}. Run with {@code -Dci.updateGolden=true} to rewrite them.
 */
final class Recorded {

  private static final Path GOLDEN = Path.of("src/test/resources/ci/golden");
  private static final boolean UPDATE = Boolean.getBoolean("ci.updateGolden");

  private Recorded() {}

  /** The log both the reporter and the stand-in renderer write to. */
  static final class Log {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** Sends a progress script's events through the reporter to a renderer that logs one line per event. */
  static void replay(String script, CiReporter reporter, Log log) {
    replay(EventScript.load("/progress/scripts/" + script + ".jsonl").stream().map(EventScript.Step::event).toList(),
        reporter, log);
  }

  static void replay(List<BuildEvent> events, CiReporter reporter, Log log) {
    ProgressRenderer renderer = reporter.attach(new LineRenderer(log.stream));
    for (BuildEvent event : events) {
      if (event != null) {
        renderer.onEvent(event);
      }
    }
    renderer.close();
  }

  static void assertGolden(String name, String actual) {
    Path golden = GOLDEN.resolve(name);
    try {
      if (UPDATE) {
        Files.createDirectories(golden.getParent());
        Files.writeString(golden, actual);
      }
      if (!Files.exists(golden)) {
        fail("golden file " + golden + " is missing; run with -Dci.updateGolden=true to write it");
      }
      assertEquals(Files.readString(golden), actual, "golden file " + golden);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stands in for a progress renderer: one line per event, and one when closed. */
  static final class LineRenderer implements ProgressRenderer {
    private final PrintStream out;

    LineRenderer(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onEvent(BuildEvent event) {
      String detail = event instanceof BuildEvent.Progress progress
          ? progress.status().vertexes().stream().map(vertex -> vertex.name()).distinct().toList().toString()
          : "";
      out.println("[renderer] " + event.target() + " " + event.getClass().getSimpleName() + " " + detail);
    }

    @Override
    public void close() {
      out.println("[renderer] closed");
    }

    @Override
    public List<VertexWarning> warnings() {
      return List.of();
    }
  }
}
