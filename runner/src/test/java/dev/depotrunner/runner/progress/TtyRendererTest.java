package dev.depotrunner.runner.progress;

import static dev.depotrunner.runner.progress.Statuses.at;
import static dev.depotrunner.runner.progress.Statuses.cached;
import static dev.depotrunner.runner.progress.Statuses.log;
import static dev.depotrunner.runner.progress.Statuses.logs;
import static dev.depotrunner.runner.progress.Statuses.progress;
import static dev.depotrunner.runner.progress.Statuses.vertex;
import static dev.depotrunner.runner.progress.Statuses.vertexes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TtyRendererTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ManualClock clock = new ManualClock(at(0));

  private TtyRenderer renderer(int width, int height, boolean color) {
    TerminalSize size = new TerminalSize(width, height);
    TerminalSizeSource sizes =
        new TerminalSizeSource(clock, Map.of()) {
          @Override
          synchronized TerminalSize size() {
            return size;
          }
        };
    ProgressOptions options = new ProgressOptions(false, false, color);
    return new TtyRenderer(
        new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8)), options, clock, null, sizes, size);
  }

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private TerminalEmulator terminal(int width, int height) {
    TerminalEmulator terminal = new TerminalEmulator(width, height);
    terminal.write(output());
    return terminal;
  }

  /** Formats a line of the view as it shows a job with its time, such as {@code 0.6s}. */
  private static String viewLine(String name, String time, int width) {
    return String.format("%-" + (width - time.length() - 3) + "s  %s", " => " + name, time);
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }

  private void send(TtyRenderer renderer, double seconds, BuildEvent event) {
    clock.set(at(seconds));
    renderer.onEvent(event);
  }

  @Test
  void frame_showsHeaderVertexAndOutput() {
    TtyRenderer renderer = renderer(80, 20, true);

    // Batches arrive 20 ms after the times the builder stamped on them.
    send(renderer, 1.02, progress(vertexes(cached("sha256:a", "[1/2] FROM docker.io/library/alpine:3.20", 1.0))));
    send(renderer, 1.2, progress(vertexes(vertex("sha256:b", "[2/2] RUN make", 1.1, null))));
    send(renderer, 1.6, progress(logs(log("sha256:b", 1.5, "cc -c main.c\ncc -c util.c\n"))));

    List<String> screen = terminal(80, 20).screen();
    assertEquals("[+] Building 0.6s (1/2)", screen.get(1));
    assertEquals(viewLine("CACHED [1/2] FROM docker.io/library/alpine:3.20", "0.0s", 80), screen.get(2));
    assertEquals(viewLine("[2/2] RUN make", "0.5s", 80), screen.get(3));
    assertEquals(" => => # cc -c main.c", screen.get(4));
    assertEquals(" => => # cc -c util.c", screen.get(5));
  }

  @Test
  void frame_overwritesPreviousFrame() {
    TtyRenderer renderer = renderer(80, 20, true);

    send(renderer, 1.0, progress(vertexes(vertex("sha256:b", "[2/2] RUN make", 1.0, null))));
    send(renderer, 1.5, progress(logs(log("sha256:b", 1.4, "one\n"))));
    send(renderer, 2.0, progress(vertexes(vertex("sha256:b", "[2/2] RUN make", 1.0, 1.9))));

    TerminalEmulator terminal = terminal(80, 20);
    assertEquals(3, count(output(), "[+] Building"));
    assertEquals(1, count(terminal.transcript(), "[+] Building"));
    assertFalse(terminal.transcript().contains("=> => # one"), "output of a finished vertex stays hidden");
    assertTrue(terminal.transcript().contains(" => [2/2] RUN make"));
  }

  @Test
  void frame_fitsNarrowTerminal() {
    TtyRenderer renderer = renderer(40, 20, true);

    send(renderer, 1.0, progress(vertexes(vertex("sha256:b", "[build 3/7] RUN apt-get update && apt-get install -y curl", 1.0, null))));
    send(renderer, 1.5, progress(logs(log("sha256:b", 1.4, "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\n"))));

    TerminalEmulator terminal = terminal(40, 20);
    assertEquals(0, terminal.wraps());
    List<String> screen = terminal.screen();
    assertEquals(viewLine("[build 3/7] RUN apt-get updat", "0.5s", 40), screen.get(2));
    // The output area is 10 columns narrower than the terminal and wraps as a terminal would.
    assertEquals(" => => # Get:1 http://deb.debian.org/de", screen.get(3));
    assertEquals(" => => # bian bookworm InRelease [151 k", screen.get(4));
  }

  @Test
  void frame_keepsRunningVertexVisibleInShortTerminal() {
    TtyRenderer renderer = renderer(80, 6, true);
    List<VertexState> finished = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      finished.add(cached("sha256:c" + i, "[" + i + "/9] COPY file" + i + " .", 1.0));
    }

    send(renderer, 1.0, progress(vertexes(vertex("sha256:run", "[9/9] RUN make", 1.0, null))));
    send(renderer, 1.2, progress(new dev.depotrunner.buildkit.progress.SolveStatus(finished, List.of(), List.of(), List.of())));

    TerminalEmulator terminal = terminal(80, 6);
    assertEquals(0, terminal.wraps());
    List<String> screen = terminal.screen();
    assertTrue(screen.stream().anyMatch(line -> line.startsWith(" => [9/9] RUN make")), String.join("\n", screen));
    assertTrue(screen.stream().anyMatch(line -> line.startsWith(" => CACHED [8/9] COPY file8 .")), String.join("\n", screen));
    assertFalse(screen.stream().anyMatch(line -> line.startsWith(" => CACHED [1/9]")), String.join("\n", screen));
  }

  @Test
  void notice_printsAboveView() {
    TtyRenderer renderer = renderer(80, 20, true);
    send(renderer, 1.0, progress(vertexes(vertex("sha256:b", "[2/2] RUN make", 1.0, null))));

    send(renderer, 1.5, new BuildEvent.Notice("default", BuildEvent.Level.WARNING, "builder is low on disk space"));

    List<String> lines = terminal(80, 20).transcript().lines().toList();
    int notice = lines.indexOf("WARNING: builder is low on disk space");
    assertTrue(notice >= 0, String.join("\n", lines));
    assertTrue(lines.get(notice + 1).startsWith("[+] Building 0.5s (0/1)"), String.join("\n", lines));
    assertEquals(1, count(String.join("\n", lines), "[+] Building"));
  }

  @Test
  void update_redrawsAtMostEveryHundredMillis() {
    TtyRenderer renderer = renderer(80, 20, true);

    send(renderer, 1.00, progress(vertexes(vertex("sha256:b", "[2/2] RUN make", 1.0, null))));
    send(renderer, 1.05, progress(logs(log("sha256:b", 1.04, "one\n"))));
    assertEquals(1, count(output(), "[+] Building"));

    clock.advance(Duration.ofMillis(100));
    renderer.refreshIfIdle();
    assertEquals(1, count(output(), "[+] Building"), "idle refresh waits 150 ms after the last update");

    clock.advance(Duration.ofMillis(60));
    renderer.refreshIfIdle();
    assertEquals(2, count(output(), "[+] Building"));
    assertTrue(terminal(80, 20).screen().contains(" => => # one"));
  }

  @Test
  void close_printsFinishedFrameAndFailure() {
    TtyRenderer renderer = renderer(80, 20, true);
    send(renderer, 1.0, progress(vertexes(vertex("sha256:b", "[2/2] RUN make", 1.0, null))));
    send(renderer, 1.5, progress(logs(log("sha256:b", 1.4, "make: *** [all] Error 2\n"))));
    send(renderer, 1.7, progress(vertexes(Statuses.failed("sha256:b", "[2/2] RUN make", 1.0, 1.6, "exit code: 2"))));
    send(renderer, 1.8, new BuildEvent.Failed("default", "failed to solve: exit code: 2", "sha256:b", null, at(1.8)));

    clock.set(at(2.0));
    renderer.close();

    List<String> lines = terminal(80, 20).transcript().lines().toList();
    assertEquals(
        List.of(
            "[+] Building 1.0s (1/1) FINISHED",
            viewLine("ERROR [2/2] RUN make", "0.6s", 80),
            "------",
            " > [2/2] RUN make:",
            "0.400 make: *** [all] Error 2",
            "------",
            "ERROR: failed to build: failed to solve: exit code: 2"),
        lines.subList(lines.size() - 7, lines.size()));
    assertTrue(output().contains(Ansi.RED + " => ERROR [2/2] RUN make"));
  }

  @Test
  void colorOff_writesNoColors() {
    TtyRenderer renderer = renderer(80, 20, false);

    send(renderer, 1.0, progress(vertexes(cached("sha256:a", "[1/1] FROM alpine", 1.0))));
    renderer.close();

    assertFalse(output().contains(Ansi.BLUE));
    assertFalse(output().contains(Ansi.RESET));
    assertTrue(output().contains(" => CACHED [1/1] FROM alpine"));
  }
}
