package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildOutcomeTest {

  private static final String DOCKERFILE = "FROM alpine:3.20\nCMD echo hi\n";
  private static final SourceLocation LINE_2 =
      new SourceLocation(
          "Dockerfile", "Dockerfile", DOCKERFILE.getBytes(StandardCharsets.UTF_8), List.of(new SourceLocation.LineRange(2, 2)));
  private static final VertexWarning JSON_ARGS =
      new VertexWarning(
          "sha256:d01",
          1,
          "JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 2)",
          List.of("JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals"),
          "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
          LINE_2);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TextOutput out = new TextOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printWarnings_listsOneWarningWithoutColor() {
    BuildOutcome outcome = new BuildOutcome(new ProgressOptions(false, false, false));
    outcome.addWarnings(List.of(JSON_ARGS));

    outcome.printWarnings(out);

    assertEquals(
        "\n 1 warning found (use --debug to expand):\n - " + JSON_ARGS.message() + "\n", output());
  }

  @Test
  void printWarnings_expandsWithDebug() {
    BuildOutcome outcome = new BuildOutcome(new ProgressOptions(false, true, false));
    outcome.addWarnings(List.of(JSON_ARGS));

    outcome.printWarnings(out);

    assertEquals(
        "\n 1 warning found:\n"
            + " - " + JSON_ARGS.message() + "\n"
            + "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals\n"
            + "More info: https://docs.docker.com/go/dockerfile/rule/json-args-recommended/\n"
            + "Dockerfile:2\n"
            + "--------------------\n"
            + "   1 |     FROM alpine:3.20\n"
            + "   2 | >>> CMD echo hi\n"
            + "   3 |     \n"
            + "--------------------\n"
            + "\n",
        output());
  }

  @Test
  void addWarnings_dropsCopiesFromOtherVertexes() {
    BuildOutcome outcome = new BuildOutcome(ProgressOptions.defaults());
    VertexWarning copy =
        new VertexWarning(
            "sha256:d02", JSON_ARGS.level(), JSON_ARGS.message(), JSON_ARGS.detail(), JSON_ARGS.url(),
            new SourceLocation("Dockerfile", "Dockerfile", DOCKERFILE.getBytes(StandardCharsets.UTF_8), LINE_2.ranges()));
    VertexWarning other = Statuses.warning("sha256:d01", "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)");

    outcome.addWarnings(List.of(JSON_ARGS, other));
    outcome.addWarnings(List.of(copy));

    assertEquals(List.of(JSON_ARGS, other), outcome.warnings());
  }

  @Test
  void printErrors_namesTargetInBake() {
    BuildOutcome outcome = new BuildOutcome(ProgressOptions.defaults().withMultiTarget(true));
    outcome.failed(new BuildEvent.Failed("docs", "failed to solve: exit code: 1", "", null, Instant.EPOCH));

    outcome.printErrors(out);

    assertEquals("ERROR: target docs: failed to solve: exit code: 1\n", output());
  }

  @Test
  void printErrors_cancellationOnlyWithoutFailure() {
    BuildOutcome cancelledOnly = new BuildOutcome(ProgressOptions.defaults());
    cancelledOnly.cancelled(new BuildEvent.Cancelled("default", Instant.EPOCH));
    cancelledOnly.cancelled(new BuildEvent.Cancelled("default", Instant.EPOCH));
    cancelledOnly.printErrors(out);
    assertEquals("ERROR: failed to build: failed to solve: Canceled: context canceled\n", output());

    bytes.reset();
    BuildOutcome failedAndCancelled = new BuildOutcome(ProgressOptions.defaults());
    failedAndCancelled.failed(new BuildEvent.Failed("default", "failed to solve: exit code: 1", "", null, Instant.EPOCH));
    failedAndCancelled.cancelled(new BuildEvent.Cancelled("default", Instant.EPOCH));
    failedAndCancelled.printErrors(out);
    assertEquals("ERROR: failed to build: failed to solve: exit code: 1\n", output());
  }

  @Test
  void printErrors_showsDockerfileLinesBeforeError() {
    BuildOutcome outcome = new BuildOutcome(ProgressOptions.defaults());
    outcome.failed(new BuildEvent.Failed("default", "failed to solve: exit code: 1", "sha256:d02", LINE_2, Instant.EPOCH));

    outcome.printErrors(out);

    assertEquals(
        "Dockerfile:2\n"
            + "--------------------\n"
            + "   1 |     FROM alpine:3.20\n"
            + "   2 | >>> CMD echo hi\n"
            + "   3 |     \n"
            + "--------------------\n"
            + "ERROR: failed to build: failed to solve: exit code: 1\n",
        output());
  }
}
