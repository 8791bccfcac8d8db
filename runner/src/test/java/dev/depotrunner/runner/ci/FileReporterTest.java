package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReporterTest {

  @TempDir Path folder;
  private final Recorded.Log log = new Recorded.Log();

  private ReportContext context() {
    return new ReportContext(
        Map.of("default", new ReportContext.TargetInputs(List.of("registry.example/app:1"), folder.resolve("Dockerfile"))),
        Optional.of("bld-1"), Optional.of("https://depot.example/b/1"), Optional.empty());
  }

  private FileReporter jenkins() {
    var ci = CiEnvironment.detect(Map.of("JENKINS_URL", "http://127.0.0.1:8080/", "WORKSPACE", folder.toString(),
        "BUILD_URL", "http://127.0.0.1:8080/job/app/14/"));
    return new FileReporter(ci, log.stream, folder);
  }

  @Test
  void jenkinsWritesSchemaShapedSarif() throws Exception {
    FileReporter reporter = jenkins();
    Recorded.replay("build-checks", reporter, log);
    reporter.finish(context());

    Path file = folder.resolve("depot-reports/warnings.sarif");
    Recorded.assertGolden("jenkins/build-checks.sarif", Files.readString(file));
    JsonNode sarif = ReportFiles.JSON.readTree(file.toFile());
    assertEquals("2.1.0", sarif.path("version").asText());
    assertEquals(SarifReport.SCHEMA, sarif.path("$schema").asText());
    JsonNode run = sarif.path("runs").get(0);
    assertEquals("depot-runner", run.path("tool").path("driver").path("name").asText());
    assertEquals(3, run.path("tool").path("driver").path("rules").size());
    JsonNode results = run.path("results");
    assertEquals(3, results.size());
    for (JsonNode result : results) {
      assertTrue(result.path("ruleId").isTextual(), result.toString());
      assertEquals("warning", result.path("level").asText());
      assertTrue(result.path("message").path("text").isTextual(), result.toString());
      JsonNode location = result.path("locations").get(0).path("physicalLocation");
      assertEquals("Dockerfile", location.path("artifactLocation").path("uri").asText());
      assertTrue(location.path("region").path("startLine").asInt() >= 1, result.toString());
    }
  }

  @Test
  void jenkinsSarifHasFailureAsError() throws Exception {
    FileReporter reporter = jenkins();
    Recorded.replay("failing-run", reporter, log);
    reporter.finish(context());

    JsonNode results = ReportFiles.JSON.readTree(folder.resolve("depot-reports/warnings.sarif").toFile())
        .path("runs").get(0).path("results");
    assertEquals(1, results.size());
    assertEquals("error", results.get(0).path("level").asText());
    assertEquals("build-failed", results.get(0).path("ruleId").asText());
    assertEquals(4, results.get(0).path("locations").get(0).path("physicalLocation").path("region").path("startLine").asInt());
  }

  @Test
  void jenkinsWritesOutputsJson() throws Exception {
    FileReporter reporter = jenkins();
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    Path file = folder.resolve("depot-reports/outputs.json");
    Recorded.assertGolden("jenkins/cached-multistage.outputs.json", Files.readString(file));
    JsonNode outputs = ReportFiles.JSON.readTree(file.toFile());
    assertEquals("sha256:4f2b8e1c9d7a6b5e3f1a0c9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e", outputs.path("digest").asText());
    assertEquals("docker.io/library/app:latest", outputs.path("metadata").path("image.name").asText());
    assertEquals("bld-1", outputs.path("build-id").asText());
    assertEquals("https://depot.example/b/1", outputs.path("build-url").asText());
    assertFalse(Files.exists(folder.resolve("depot-reports/summary.md")), "Jenkins shows the log, not a file");
    assertTrue(log.text().contains("==> Build steps\n"), log.text());
    assertTrue(log.text().contains("Depot build succeeded\n"), log.text());
  }

  @Test
  void circleCiWritesSummaryArtifact() throws Exception {
    var ci = CiEnvironment.detect(Map.of("CIRCLECI", "true", "CIRCLE_BUILD_URL", "https://circleci.example/gh/acme/app/3"));
    var reporter = new FileReporter(ci, log.stream, folder);
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    Path summary = folder.resolve("depot-reports/summary.md");
    Recorded.assertGolden("circleci/cached-multistage.summary.md", Files.readString(summary));
    assertTrue(Files.exists(folder.resolve("depot-reports/outputs.json")));
    assertTrue(Files.exists(folder.resolve("depot-reports/warnings.sarif")));
    assertTrue(log.text().contains("Reports: " + folder.resolve("depot-reports")), log.text());
  }
}
