package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Compares the renderers with docker buildx 0.29.1 on builds recorded from Docker Engine 28.5
 * (BuildKit built in). {@code *.hist.jsonl} and {@code *.hist.plain} are the rawjson and plain
 * output of {@code docker buildx history logs} for one build; {@code *.live.jsonl} is the stderr
 * of {@code docker buildx build --progress=rawjson}.
 */
class RecordedBuildTest {

  private static final String FAILING_DOCKERFILE =
      "FROM 127.0.0.1:5000/base/busybox:latest AS base\n"
          + "WORKDIR /app\n"
          + "\n"
          + "RUN echo \"checking prerequisites\" && \\\n"
          + "    echo \"missing libfoo\" >&2 && \\\n"
          + "    exit 3\n"
          + "\n"
          + "CMD [\"true\"]\n";

  @ParameterizedTest
  @ValueSource(strings = {"failing", "chunked", "context"})
  void plainOutput_matchesBuildxHistoryLogs(String build) {
    String output = renderPlain(build);

    assertEquals(resource(build + ".hist.plain"), output);
  }

  @Test
  void plainOutputWithWarnings_addsSummaryAfterBuildxOutput() {
    String output = renderPlain("warnings");

    String summary =
        "\n \u001b[33m3 warnings found (use --debug to expand):\n\u001b[0m"
            + " - FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)\n"
            + " - LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format (line 2)\n"
            + " - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 3)\n";
    assertEquals(resource("warnings.hist.plain") + summary, output);
  }

  @ParameterizedTest
  @ValueSource(strings = {"chunked", "cancel", "failing"})
  void rawJson_writesBuildxLinesUnchanged(String build) {
    for (String line : jsonLines(build + ".live.jsonl")) {
      assertEquals(line, SolveStatusJson.write(SolveStatusReader.read(line)));
    }
  }

  @Test
  void rawJsonWithWarnings_keepsEveryFieldButLlbDefinition() throws IOException {
    for (String line : jsonLines("warnings.live.jsonl")) {
      JsonNode expected = SolveStatusReader.MAPPER.readTree(line);
      for (JsonNode warning : expected.path("warnings")) {
        // The client's protocol files leave out the LLB definition a warning's source refers to.
        ((ObjectNode) warning.get("sourceInfo")).remove("definition");
      }

      JsonNode actual = SolveStatusReader.MAPPER.readTree(SolveStatusJson.write(SolveStatusReader.read(line)));

      assertEquals(expected, actual);
    }
  }

  @Test
  void rawJsonFailure_matchesBuildxOutput() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RawJsonRenderer renderer =
        new RawJsonRenderer(output(bytes), ProgressOptions.defaults(), new ManualClock(Instant.EPOCH));

    for (String line : jsonLines("failing.live.jsonl")) {
      renderer.onEvent(new BuildEvent.Progress("default", SolveStatusReader.read(line)));
    }
    SourceLocation source =
        new SourceLocation(
            "Dockerfile",
            "Dockerfile",
            FAILING_DOCKERFILE.getBytes(StandardCharsets.UTF_8),
            List.of(new SourceLocation.LineRange(4, 6)));
    String message =
        "failed to solve: process \"/bin/sh -c echo \\\"checking prerequisites\\\" &&     echo"
            + " \\\"missing libfoo\\\" >&2 &&     exit 3\" did not complete successfully: exit code: 3";
    renderer.onEvent(new BuildEvent.Failed("default", message, "", source, Instant.EPOCH));
    renderer.close();

    assertEquals(resource("failing.live.jsonl"), bytes.toString(StandardCharsets.UTF_8));
  }

  /** Renders a history record as buildx does: the whole record arrives as one batch. */
  private static String renderPlain(String build) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ManualClock clock = new ManualClock(Instant.parse("2026-12-04T21:00:00Z"));
    PlainRenderer renderer = new PlainRenderer(output(bytes), ProgressOptions.defaults(), clock, null);

    renderer.onEvent(new BuildEvent.Progress("default", SolveStatusReader.read(resource(build + ".hist.jsonl"))));
    renderer.close();

    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static List<String> jsonLines(String name) {
    return resource(name).lines().filter(line -> line.startsWith("{")).toList();
  }

  private static String resource(String name) {
    try (InputStream in = RecordedBuildTest.class.getResourceAsStream("/progress/recorded/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TextOutput output(ByteArrayOutputStream bytes) {
    return new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }
}
