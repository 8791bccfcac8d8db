package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitLabReporterTest {

  @TempDir Path folder;
  private final Recorded.Log log = new Recorded.Log();

  private GitLabReporter reporter() {
    var ci = CiEnvironment.detect(Map.of(
        "GITLAB_CI", "true",
        "CI_PROJECT_URL", "https://gitlab.example/acme/app",
        "CI_COMMIT_SHA", "def456",
        "CI_COMMIT_REF_NAME", "main",
        "CI_PIPELINE_ID", "901",
        "CI_JOB_URL", "https://gitlab.example/acme/app/-/jobs/12",
        "CI_PROJECT_DIR", folder.toString()));
    return new GitLabReporter(ci, log.stream, folder, InstantSource.fixed(Instant.parse("2026-01-01T10:00:00Z")));
  }

  private ReportContext context() {
    return new ReportContext(
        Map.of("default", new ReportContext.TargetInputs(List.of("registry.example/app:1"), folder.resolve("Dockerfile"))),
        Optional.of("bld-1"), Optional.empty(), Optional.of("prj-1"));
  }

  @Test
  void sectionsWrapEachPhase() throws Exception {
    GitLabReporter reporter = reporter();
    Recorded.replay("failing-run", reporter, log);
    reporter.finish(context());

    Recorded.assertGolden("gitlab/failing-run.log", log.text());
    String text = log.text();
    assertTrue(text.startsWith("\u001b[0Ksection_start:1767261600:depot_default_load_1[collapsed=true]\r\u001b[0K"
        + "Load build definition and context\n"), text);
    assertTrue(text.contains("\u001b[0Ksection_end:1767261600:depot_default_build_2\r\u001b[0K\n[renderer] closed\n"), text);
    assertTrue(text.endsWith("Depot build failed\n  default: failed, 2 of 6 (33%) steps cached\n"
        + "    tags: registry.example/app:1\n"
        + "    0.5s  [internal] load metadata for docker.io/library/alpine:3.20\n"
        + "    0.4s  [base 3/3] RUN for i in $(seq 1 12); do echo \"step $i\"; done &&     echo \"missing libfoo\" >&2 &&     exit 3\n"
        + "    0.0s  [internal] load build definition from Dockerfile\n"
        + "    0.0s  [internal] load .dockerignore\n"
        + "  run: https://gitlab.example/acme/app/-/jobs/12\n"), text);
  }

  @Test
  void writesDotenvReport() throws Exception {
    GitLabReporter reporter = reporter();
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    String dotenv = Files.readString(folder.resolve("depot-reports/build.env"));
    Recorded.assertGolden("gitlab/cached-multistage.env", dotenv);
    for (String line : dotenv.split("\n")) {
      assertTrue(line.matches("[A-Za-z0-9_]+=[^\\r\\n]*"), line);
    }
    assertTrue(dotenv.contains("DEPOT_DIGEST=sha256:4f2b8e1c9d7a6b5e3f1a0c9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e\n"));
    assertTrue(dotenv.contains("DEPOT_BUILD_ID=bld-1\n"));
    assertTrue(dotenv.contains("DEPOT_PROJECT_ID=prj-1\n"));
  }

  @Test
  void dotenvStaysUnderFiveKilobytes() {
    GitLabReporter reporter = reporter();
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("imageid", "sha256:1");
    outputs.put("metadata", "{\n  \"a\" : \"" + "x".repeat(6000) + "\"\n}");
    outputs.put("build-id", "bld-1");

    String dotenv = reporter.dotenv(outputs);

    assertEquals("DEPOT_IMAGEID=sha256:1\nDEPOT_BUILD_ID=bld-1\n", dotenv);
    assertTrue(log.text().contains("DEPOT_METADATA is not in the dotenv report: it would exceed GitLab's 5 KB limit"));
  }

  @Test
  void dotenvPutsJsonOnOneLine() {
    String dotenv = reporter().dotenv(Map.of("metadata", "{\n  \"a\" : \"b\",\n  \"c\" : 1\n}"));

    assertEquals("DEPOT_METADATA={\"a\" : \"b\",\"c\" : 1}\n", dotenv);
  }

  @Test
  void warningsBecomeCodeQualityIssues() throws Exception {
    GitLabReporter reporter = reporter();
    Recorded.replay("build-checks", reporter, log);
    reporter.finish(context());

    Path report = folder.resolve("depot-reports/code-quality.json");
    Recorded.assertGolden("gitlab/build-checks.code-quality.json", Files.readString(report));
    JsonNode issues = ReportFiles.JSON.readTree(report.toFile());
    assertEquals(3, issues.size());
    for (JsonNode issue : issues) {
      assertTrue(issue.path("description").isTextual(), issue.toString());
      assertTrue(issue.path("check_name").isTextual(), issue.toString());
      assertEquals(64, issue.path("fingerprint").asText().length(), issue.toString());
      assertEquals("minor", issue.path("severity").asText());
      assertEquals("Dockerfile", issue.path("location").path("path").asText());
      assertTrue(issue.path("location").path("lines").path("begin").asInt() >= 1, issue.toString());
    }
    assertEquals("FromAsCasing", issues.get(0).path("check_name").asText());
    assertEquals(1, issues.get(0).path("location").path("lines").path("begin").asInt());
  }

  @Test
  void emptyCodeQualityReportWithoutWarnings() throws Exception {
    GitLabReporter reporter = reporter();
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    assertEquals("[ ]\n", Files.readString(folder.resolve("depot-reports/code-quality.json"), StandardCharsets.UTF_8));
  }

  @Test
  void reportFolderFromVariable() throws Exception {
    Path reports = folder.resolve("custom");
    var ci = CiEnvironment.detect(Map.of("GITLAB_CI", "true", ReportFiles.FOLDER_VARIABLE, reports.toString()));
    var reporter = new GitLabReporter(ci, log.stream, folder, InstantSource.system());
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    assertTrue(Files.exists(reports.resolve("build.env")));
    assertFalse(Files.exists(folder.resolve("depot-reports")));
  }
}
