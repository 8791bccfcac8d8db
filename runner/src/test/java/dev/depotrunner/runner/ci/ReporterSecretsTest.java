package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.runner.progress.ProgressMode;
import dev.depotrunner.runner.progress.ProgressOptions;
import dev.depotrunner.runner.progress.ProgressRenderer;
import dev.depotrunner.runner.progress.ProgressRenderers;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Registers secrets with each CI's reporter, sends a bake's events whose every text contains them
 * through the plain renderer, and scans the log and every file the reporter wrote.
 */
class ReporterSecretsTest {

  /** The random part of each secret, which is looked for, because Markdown or JSON may escape the rest. */
  private static final String TOKEN_CORE = UUID.randomUUID().toString().replace("-", "");
  private static final String PASSWORD_CORE = UUID.randomUUID().toString().replace("-", "");
  /** A token with Markdown's special characters. */
  private static final String TOKEN = "ghp_" + TOKEN_CORE + "*x";
  /** A password with JSON's escaped characters. */
  private static final String PASSWORD = "pa\"ss\\" + PASSWORD_CORE;
  /** A multi-line secret, such as a key file, whose lines are secrets on their own. */
  private static final String KEY_LINE = "key-" + UUID.randomUUID();
  private static final String KEY = "-----BEGIN KEY-----\n" + KEY_LINE + "\n-----END KEY-----";
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @TempDir Path folder;

  @ParameterizedTest
  @EnumSource(value = CiSystem.class, names = {"GITHUB_ACTIONS", "GITLAB_CI", "JENKINS", "CIRCLECI", "BUILDKITE", "GENERIC"})
  void reporterRedactsSecretsEverywhere(CiSystem system) throws Exception {
    Path workspace = Files.createDirectories(folder.resolve("workspace"));
    Path dockerfile = Files.writeString(workspace.resolve("Dockerfile"), "FROM base\nRUN echo " + TOKEN + "\n");
    Recorded.Log log = new Recorded.Log();
    CiReporter reporter = CiReporters.create(CiEnvironment.detect(environment(system, workspace)), log.stream, workspace);
    reporter.registerSecret(TOKEN);
    reporter.registerSecret(PASSWORD);
    reporter.registerSecret(KEY);

    ProgressRenderer renderer = reporter.attach(ProgressRenderers.create(
        ProgressMode.PLAIN, reporter.output(), false, ProgressOptions.defaults().withMultiTarget(true)));
    events().forEach(renderer::onEvent);
    renderer.close();
    reporter.finish(context(dockerfile));

    String text = log.text();
    if (system == CiSystem.GITHUB_ACTIONS) {
      List<String> masks = text.lines().filter(line -> line.startsWith("::add-mask::")).toList();
      assertEquals(List.of("::add-mask::" + TOKEN, "::add-mask::" + PASSWORD, "::add-mask::-----BEGIN KEY-----",
          "::add-mask::" + KEY_LINE, "::add-mask::-----END KEY-----"), masks);
      text = text.lines().filter(line -> !line.startsWith("::add-mask::")).reduce("", (all, line) -> all + line + "\n");
    }
    assertTrue(text.contains("***"), text);
    assertHidden("the log", text);
    List<Path> written = filesUnder(folder).stream().filter(file -> !file.equals(dockerfile)).toList();
    List<String> names = written.stream().map(file -> folder.relativize(file).toString()).sorted().toList();
    assertEquals(expectedFiles(system), names);
    for (Path file : written) {
      assertHidden(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }
  }

  @ParameterizedTest
  @EnumSource(value = CiSystem.class, names = {"GITLAB_CI", "JENKINS"})
  void jsonKeyFileKeepsReportsValid(CiSystem system) throws Exception {
    Path workspace = Files.createDirectories(folder.resolve("workspace"));
    Path dockerfile = Files.writeString(workspace.resolve("Dockerfile"), "FROM base\n");
    String keyCore = UUID.randomUUID().toString().replace("-", "");
    String keyFile = "{\n  \"private_key\": \"" + keyCore + "\"\n}\n";
    Recorded.Log log = new Recorded.Log();
    CiReporter reporter = CiReporters.create(CiEnvironment.detect(environment(system, workspace)), log.stream, workspace);
    reporter.registerSecret(keyFile);

    ProgressRenderer renderer = reporter.attach(ProgressRenderers.create(
        ProgressMode.PLAIN, reporter.output(), false, ProgressOptions.defaults().withMultiTarget(true)));
    renderer.onEvent(new BuildEvent.Notice("app", BuildEvent.Level.WARNING, "key file:\n" + keyFile));
    events().forEach(renderer::onEvent);
    renderer.close();
    reporter.finish(context(dockerfile));

    assertTrue(log.text().contains("***"), log.text());
    assertFalse(log.text().contains(keyCore), log.text());
    for (Path file : filesUnder(folder.resolve("reports"))) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      assertFalse(text.contains(keyCore), file + ":\n" + text);
      if (file.toString().endsWith(".json") || file.toString().endsWith(".sarif")) {
        ReportFiles.JSON.readTree(text);
      }
    }
  }

  /** Returns the files each reporter writes, relative to the test's folder. */
  private static List<String> expectedFiles(CiSystem system) {
    return switch (system) {
      case GITHUB_ACTIONS -> List.of("github_output", "step_summary.md");
      case GITLAB_CI -> List.of("reports/build.env", "reports/code-quality.json");
      case JENKINS -> List.of("reports/outputs.json", "reports/warnings.sarif");
      case CIRCLECI -> List.of("reports/outputs.json", "reports/summary.md", "reports/warnings.sarif");
      case BUILDKITE -> List.of("agent-calls.txt");
      default -> List.of();
    };
  }

  private static void assertHidden(String where, String text) {
    assertFalse(text.contains(TOKEN_CORE), "the token is in " + where + ":\n" + text);
    assertFalse(text.contains(PASSWORD_CORE), "the password is in " + where + ":\n" + text);
    assertFalse(text.contains(KEY_LINE), "the key is in " + where + ":\n" + text);
  }

  private Map<String, String> environment(CiSystem system, Path workspace) throws IOException {
    Map<String, String> environment = new HashMap<>();
    environment.put(CiEnvironment.OVERRIDE_VARIABLE, system.flagName());
    environment.put(ReportFiles.FOLDER_VARIABLE, folder.resolve("reports").toString());
    switch (system) {
      case GITHUB_ACTIONS -> {
        environment.put("GITHUB_WORKSPACE", workspace.toString());
        environment.put("GITHUB_OUTPUT", folder.resolve("github_output").toString());
        environment.put("GITHUB_STEP_SUMMARY", folder.resolve("step_summary.md").toString());
      }
      case GITLAB_CI -> environment.put("CI_PROJECT_DIR", workspace.toString());
      case BUILDKITE -> environment.put("PATH", fakeAgent() + ":" + System.getenv("PATH"));
      default -> { }
    }
    return environment;
  }

  /** Writes a stand-in buildkite-agent that appends its arguments and stdin to agent-calls.txt. */
  private Path fakeAgent() throws IOException {
    Path bin = Files.createDirectories(folder.resolve("bin"));
    Path agent = bin.resolve("buildkite-agent");
    Path calls = folder.resolve("agent-calls.txt");
    Files.writeString(agent, "#!/bin/sh\necho \"ARGS $*\" >> '" + calls + "'\ncat >> '" + calls + "'\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  /** Returns a bake's events: app succeeds and docs fails, and every text an event carries contains a secret. */
  private static List<BuildEvent> events() {
    SourceLocation line2 = new SourceLocation("Dockerfile", "Dockerfile", new byte[0],
        List.of(new SourceLocation.LineRange(2, 2, 0, 0)));
    List<BuildEvent> events = new ArrayList<>();
    for (String target : List.of("app", "docs")) {
      String vertex = "sha256:" + target;
      events.add(new BuildEvent.Started(target, "builder " + PASSWORD, List.of("linux/amd64"), T0));
      events.add(new BuildEvent.Notice(target, BuildEvent.Level.WARNING, "using " + TOKEN + " and " + PASSWORD));
      events.add(progress(target, List.of(new VertexState(vertex, List.of(), "[2/2] RUN echo " + TOKEN, false,
          T0, null, "", null)), List.of(), List.of()));
      events.add(progress(target, List.of(), List.of(
          log(vertex, "token " + TOKEN.substring(0, 10)),
          log(vertex, TOKEN.substring(10) + " password " + PASSWORD + "\n" + KEY + "\n")), List.of()));
      events.add(progress(target, List.of(), List.of(), List.of(new VertexWarning(vertex, 1,
          "SecretsUsedInArgOrEnv: " + TOKEN + " and " + PASSWORD + " in ENV", List.of("detail " + TOKEN),
          "https://docs.example.test/" + TOKEN, line2))));
    }
    events.add(progress("app", List.of(new VertexState("sha256:app", List.of(), "[2/2] RUN echo " + TOKEN, false,
        T0, T0.plusSeconds(2), "", null)), List.of(), List.of()));
    events.add(new BuildEvent.Succeeded("app", Map.of(
        "containerimage.digest", "sha256:" + "a".repeat(64),
        "image.name", "registry.example.test/app:" + TOKEN,
        "containerimage.config.digest", "sha256:" + "b".repeat(64)), T0.plusSeconds(3)));
    String error = "process \"/bin/sh -c echo " + TOKEN + " " + PASSWORD + "\" did not complete successfully: exit code: 1";
    events.add(progress("docs", List.of(new VertexState("sha256:docs", List.of(), "[2/2] RUN echo " + TOKEN, false,
        T0, T0.plusSeconds(2), error, null)), List.of(), List.of()));
    events.add(new BuildEvent.Failed("docs", "failed to solve: " + error, "sha256:docs", line2, T0.plusSeconds(3)));
    return events;
  }

  private static BuildEvent.Progress progress(
      String target, List<VertexState> vertexes, List<VertexLog> logs, List<VertexWarning> warnings) {
    return new BuildEvent.Progress(target, new SolveStatus(vertexes, List.of(), logs, warnings));
  }

  private static VertexLog log(String vertex, String text) {
    return new VertexLog(vertex, T0.plusSeconds(1), 1, text.getBytes(StandardCharsets.UTF_8));
  }

  private static ReportContext context(Path dockerfile) {
    Map<String, ReportContext.TargetInputs> targets = new java.util.LinkedHashMap<>();
    targets.put("app", new ReportContext.TargetInputs(List.of("registry.example.test/app:" + TOKEN), dockerfile));
    targets.put("docs", new ReportContext.TargetInputs(List.of("registry.example.test/docs:" + PASSWORD), dockerfile));
    return new ReportContext(targets, Optional.of("build-1"), Optional.of("http://127.0.0.1:9/builds/build-1"),
        Optional.of("project-1"));
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(file -> !file.startsWith(root.resolve("bin"))).toList();
    }
  }
}
