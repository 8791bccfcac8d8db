package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiReportersTest {

  @TempDir Path folder;
  private final Recorded.Log log = new Recorded.Log();

  @Test
  void createsReporterPerSystem() {
    assertInstanceOf(GitHubReporter.class, create("GITHUB_ACTIONS"));
    assertInstanceOf(GitLabReporter.class, create("GITLAB_CI"));
    assertInstanceOf(FileReporter.class, create("JENKINS_URL"));
    assertInstanceOf(FileReporter.class, create("CIRCLECI"));
    assertInstanceOf(BuildkiteReporter.class, create("BUILDKITE"));
    assertInstanceOf(LogReporter.class, create("CI"));
  }

  private CiReporter create(String variable) {
    return CiReporters.create(CiEnvironment.detect(Map.of(variable, "true")), log.stream, folder);
  }

  @Test
  void registersEnvironmentAndFileSecrets() throws Exception {
    Files.writeString(folder.resolve("npmrc"), "//registry/:_authToken=file-secret\n");
    Files.writeString(folder.resolve("KEY_FILE"), "id-as-file-secret");
    CiReporter reporter = create("GITHUB_ACTIONS");

    CiReporters.registerSecrets(reporter,
        List.of("id=npm,src=npmrc", "id=token,env=API_TOKEN", "type=env,id=other,src=OTHER", "id=KEY_FILE",
            "id=missing,src=nope", "not,valid"),
        Map.of("API_TOKEN", "env-secret", "OTHER", "other-secret"), folder);

    assertEquals("::add-mask:://registry/:_authToken=file-secret\n::add-mask::env-secret\n"
        + "::add-mask::other-secret\n::add-mask::id-as-file-secret\n", log.text());
  }

  @Test
  void noneReportsNothing() throws Exception {
    CiReporter reporter = CiReporters.create(CiEnvironment.detect(Map.of()), log.stream, folder);
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(new ReportContext(Map.of(), Optional.empty(), Optional.empty(), Optional.empty()));

    assertTrue(log.text().lines().allMatch(line -> line.startsWith("[renderer]")), log.text());
  }

  @Test
  void genericCiPrintsSummary() throws Exception {
    CiReporter reporter = create("CI");
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(new ReportContext(Map.of(), Optional.empty(), Optional.empty(), Optional.empty()));

    assertTrue(log.text().contains("\nDepot build succeeded\n  default: succeeded in 1.0s, linux/amd64, 4 of 10 (40%) steps cached\n"),
        log.text());
  }
}
