package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildkiteReporterTest {

  @TempDir Path folder;
  private final Recorded.Log log = new Recorded.Log();

  /** Writes a stand-in agent that appends its arguments and stdin to calls.txt and exits with {@code exitCode}. */
  private Path fakeAgent(int exitCode) throws IOException {
    Path bin = Files.createDirectories(folder.resolve("bin"));
    Path agent = bin.resolve("buildkite-agent");
    Files.writeString(agent, "#!/bin/sh\n"
        + "echo \"ARGS $*\" >> '" + folder.resolve("calls.txt") + "'\n"
        + "cat >> '" + folder.resolve("calls.txt") + "'\n"
        + "echo >> '" + folder.resolve("calls.txt") + "'\n"
        + "echo 'agent says no' >&2\n"
        + "exit " + exitCode + "\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private BuildkiteReporter reporter(Path bin) {
    var ci = CiEnvironment.detect(Map.of(
        "BUILDKITE", "true",
        "BUILDKITE_JOB_ID", "job-9",
        "BUILDKITE_BUILD_URL", "https://buildkite.example/acme/app/builds/8",
        "PATH", folder.resolve("empty") + ":" + bin + ":" + System.getenv("PATH")));
    return new BuildkiteReporter(ci, log.stream, folder);
  }

  private static ReportContext context() {
    return new ReportContext(Map.of(), Optional.of("bld-1"), Optional.empty(), Optional.empty());
  }

  @Test
  void annotatesAndSetsMetaData() throws Exception {
    BuildkiteReporter reporter = reporter(fakeAgent(0));
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    String calls = Files.readString(folder.resolve("calls.txt"));
    List<String> argumentLines = calls.lines().filter(line -> line.startsWith("ARGS ")).toList();
    assertEquals(List.of(
        "ARGS annotate --style success --context depot-summary-job-9",
        "ARGS meta-data set depot.imageid",
        "ARGS meta-data set depot.digest",
        "ARGS meta-data set depot.metadata",
        "ARGS meta-data set depot.build-id"), argumentLines);
    assertTrue(calls.contains("## Depot build ✅ succeeded"), calls);
    assertTrue(calls.contains("ARGS meta-data set depot.build-id\nbld-1\n"), calls);
    assertTrue(log.text().contains("--- Build steps\n"), log.text());
  }

  @Test
  void failureGetsErrorAnnotation() throws Exception {
    BuildkiteReporter reporter = reporter(fakeAgent(0));
    Recorded.replay("failing-run", reporter, log);
    reporter.finish(context());

    String calls = Files.readString(folder.resolve("calls.txt"));
    assertTrue(calls.contains("ARGS annotate --style error --context depot-summary-job-9\n"), calls);
    assertTrue(calls.contains("ARGS annotate --style error --context depot-error-job-9\n**Depot build failed** at `Dockerfile:4`"),
        calls);
    assertTrue(calls.contains("echo \\\"missing libfoo\\\" >&amp;2"), calls);
  }

  @Test
  void missingAgentIsNoted() throws Exception {
    BuildkiteReporter reporter = reporter(Files.createDirectories(folder.resolve("nothing")));
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    assertTrue(log.text().contains("note: buildkite-agent is not on PATH"), log.text());
    assertTrue(log.text().contains("Depot build succeeded"), log.text());
  }

  @Test
  void failingAgentRaisesWithItsOutput() throws Exception {
    BuildkiteReporter reporter = reporter(fakeAgent(2));
    Recorded.replay("cached-multistage", reporter, log);

    var error = assertThrows(CiReportException.class, () -> reporter.finish(context()));
    assertEquals("buildkite-agent annotate --style success --context depot-summary-job-9 failed with exit code 2:"
        + " agent says no", error.getMessage());
  }
}
