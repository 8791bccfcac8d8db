package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays recorded builds through each renderer and compares the output with the files in
 * {@code src/test/resources/progress/golden}. Run with {@code -Dprogress.updateGolden=true} to
 * rewrite those files after a deliberate change, then review the diff.
 */
class GoldenOutputTest {

  private static final Path GOLDEN = Path.of("src/test/resources/progress/golden");
  private static final boolean UPDATE = Boolean.getBoolean("progress.updateGolden");
  private static final TerminalSize TERMINAL = new TerminalSize(100, 30);

  private static final List<String> SCRIPTS =
      List.of(
          "cached-multistage",
          "run-output",
          "parallel-stages",
          "failing-run",
          "build-checks",
          "context-transfer",
          "cancelled",
          "bake-two-targets");

  private static final Map<String, BiFunction<ByteArrayOutputStream, ManualClock, BaseRenderer>> MODES =
      Map.of(
          "plain", (bytes, clock) -> new PlainRenderer(output(bytes), options(), clock, null),
          "rawjson", (bytes, clock) -> new RawJsonRenderer(output(bytes), options(), clock),
          "quiet", (bytes, clock) -> new QuietRenderer(output(bytes), options(), clock),
          "tty", (bytes, clock) -> new TtyRenderer(output(bytes), options(), clock, null, fixedSize(clock), TERMINAL));

  private static String currentScript;

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String script : SCRIPTS) {
      for (String mode : List.of("plain", "tty", "rawjson", "quiet")) {
        cases.add(Arguments.of(script, mode));
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void rendererOutput_matchesGolden(String script, String mode) throws IOException {
    currentScript = script;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ManualClock clock = new ManualClock(Instant.EPOCH);
    BaseRenderer renderer = MODES.get(mode).apply(bytes, clock);

    EventScript.replay(EventScript.load("/progress/scripts/" + script + ".jsonl"), renderer, clock);

    String actual = bytes.toString(StandardCharsets.UTF_8);
    if (mode.equals("tty")) {
      TerminalEmulator terminal = new TerminalEmulator(TERMINAL.width(), TERMINAL.height());
      terminal.write(actual);
      actual = terminal.transcript();
    }
    Path golden = GOLDEN.resolve(script + "." + mode + ".txt");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, actual);
    }
    assertEquals(Files.readString(golden), actual);
  }

  private static TextOutput output(ByteArrayOutputStream bytes) {
    return new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  private static ProgressOptions options() {
    return new ProgressOptions(currentScript.startsWith("bake-"), false, true);
  }

  private static TerminalSizeSource fixedSize(ManualClock clock) {
    return new TerminalSizeSource(clock, Map.of()) {
      @Override
      synchronized TerminalSize size() {
        return TERMINAL;
      }
    };
  }
}
