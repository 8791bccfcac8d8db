package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.steps.bake.BakeDefinition;
import dev.depotrunner.steps.bake.BakeDefinitions;
import dev.depotrunner.steps.bake.BakeRequest;
import dev.depotrunner.steps.bake.BakeStep;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bake's targets, resolved from a real bake file, reported to GitHub Actions in one report. */
class BakeReportTest {

  private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

  private static final String BAKE_FILE = """
      {
        "group": {"default": {"targets": ["app", "docs"]}},
        "target": {
          "app": {"context": "app", "tags": ["127.0.0.1:5000/bakeci/app:1"], "secret": ["id=npm,env=NPM_TOKEN"]},
          "docs": {"context": "docs", "dockerfile": "docs.Dockerfile", "tags": ["127.0.0.1:5000/bakeci/docs:1"],
                   "labels": {"org.opencontainers.image.source": "https://example.test/docs"}},
          "inline": {"context": "app", "dockerfile-inline": "FROM scratch\\n"}
        }
      }
      """;

  @TempDir Path folder;
  private Path workspace;
  private Path outputFile;
  private Path summaryFile;
  private final Map<String, String> environment = new HashMap<>();
  private final Recorded.Log log = new Recorded.Log();

  @BeforeEach
  void createWorkspace() throws IOException {
    workspace = Files.createDirectories(folder.resolve("workspace"));
    Files.createDirectories(workspace.resolve("app"));
    Files.createDirectories(workspace.resolve("docs"));
    Files.writeString(workspace.resolve("app/Dockerfile"), "FROM scratch\n");
    Files.writeString(workspace.resolve("docs/docs.Dockerfile"), "FROM scratch\nRUN false\n");
    Files.writeString(workspace.resolve("docker-bake.json"), BAKE_FILE);
    outputFile = folder.resolve("output");
    summaryFile = folder.resolve("summary.md");

    environment.put("GITHUB_ACTIONS", "true");
    environment.put("GITHUB_SERVER_URL", "https://github.com");
    environment.put("GITHUB_REPOSITORY", "acme/app");
    environment.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    environment.put("GITHUB_RUN_ID", "4242");
    environment.put("GITHUB_WORKSPACE", workspace.toString());
    environment.put("GITHUB_OUTPUT", outputFile.toString());
    environment.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
    environment.put("NPM_TOKEN", "npm-secret-value");
  }

  private BakeDefinition definition(String... targets) throws Exception {
    var request = new BakeRequest(List.of(), List.of(targets), List.of(), false, false, null, null, null, null,
        environment, workspace, InputStream::nullInputStream);
    return BakeDefinitions.resolve(request);
  }

  private Map<String, BuildOptions> options(BakeDefinition definition) throws Exception {
    Map<String, BuildOptions> options = BakeStep.validate(definition,
        () -> BuildOptions.builder().environment(environment).workingDirectory(workspace).token("depot-token-value"));
    options.values().forEach(BuildOptions::close);
    return options;
  }

  private GitHubReporter reporter() {
    var delimiters = new ArrayDeque<>(List.of("ghadelimiter_1", "ghadelimiter_2", "ghadelimiter_3"));
    return new GitHubReporter(CiEnvironment.detect(environment), log.stream, workspace, delimiters::pop);
  }

  @Test
  void contextHasEveryTargetInputs() throws Exception {
    ReportContext context = ReportContext.forBake(options(definition("app", "docs", "inline")));

    assertEquals(List.of("app", "docs", "inline"), new ArrayList<>(context.targets().keySet()));
    assertEquals(List.of("127.0.0.1:5000/bakeci/app:1"), context.inputs("app").tags());
    assertEquals(workspace.resolve("app/Dockerfile"), context.inputs("app").dockerfile());
    assertEquals(List.of("127.0.0.1:5000/bakeci/docs:1"), context.inputs("docs").tags());
    assertEquals(workspace.resolve("docs/docs.Dockerfile"), context.inputs("docs").dockerfile());
    assertNull(context.inputs("inline").dockerfile());
  }

  @Test
  void failingTargetAnnotatesItsDockerfile() throws Exception {
    ReportContext context = ReportContext.forBake(options(definition("app", "docs")));
    GitHubReporter reporter = reporter();
    var source = new SourceLocation("docs.Dockerfile", "FROM scratch\nRUN false\n".getBytes(StandardCharsets.UTF_8),
        List.of(new SourceLocation.LineRange(2, 2, 0, 0)));

    Recorded.replay(List.of(
        new BuildEvent.Started("app", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Started("docs", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Failed("docs", "failed to solve: exit code: 1", "sha256:b05", source, AT.plusSeconds(1)),
        new BuildEvent.Cancelled("app", AT.plusSeconds(1))),
        reporter, log);
    reporter.finish(context);

    String text = log.text();
    assertTrue(text.contains("::error file=docs/docs.Dockerfile,line=2,endLine=2,title=docs%3A Build failed::"), text);
    assertFalse(text.contains("app/Dockerfile"), text);
  }

  @Test
  void succeededBakeWritesEveryTarget() throws Exception {
    ReportContext context = ReportContext.forBake(options(definition("app", "docs")));
    GitHubReporter reporter = reporter();

    Recorded.replay(List.of(
        new BuildEvent.Started("app", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Started("docs", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Succeeded("app", Map.of("containerimage.digest", "sha256:" + "a".repeat(64)), AT.plusSeconds(1)),
        new BuildEvent.Succeeded("docs", Map.of("containerimage.digest", "sha256:" + "d".repeat(64)), AT.plusSeconds(2))),
        reporter, log);
    reporter.finish(context);

    Map<String, String> outputs = GitHubReporterTest.OutputFile.parse(Files.readString(outputFile));
    assertFalse(outputs.containsKey("digest"), outputs.toString());
    String metadata = outputs.get("metadata");
    assertTrue(metadata.contains("\"app\""), metadata);
    assertTrue(metadata.contains("sha256:" + "a".repeat(64)), metadata);
    assertTrue(metadata.contains("\"docs\""), metadata);
    assertTrue(metadata.contains("sha256:" + "d".repeat(64)), metadata);
    String summary = Files.readString(summaryFile);
    assertTrue(summary.contains("127.0.0.1:5000/bakeci/app:1"), summary);
    assertTrue(summary.contains("127.0.0.1:5000/bakeci/docs:1"), summary);
  }

  @Test
  void bakeNoticesAddNoTarget() throws Exception {
    ReportContext context = ReportContext.forBake(options(definition("app", "docs")));
    GitHubReporter reporter = reporter();

    Recorded.replay(List.of(
        new BuildEvent.Notice("default", BuildEvent.Level.INFO, "Build: https://depot.test/builds/1"),
        new BuildEvent.Started("app", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Started("docs", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Succeeded("app", Map.of("containerimage.digest", "sha256:" + "a".repeat(64)), AT.plusSeconds(1)),
        new BuildEvent.Succeeded("docs", Map.of("containerimage.digest", "sha256:" + "d".repeat(64)), AT.plusSeconds(2)),
        new BuildEvent.Notice("default", BuildEvent.Level.INFO, "Saved targets: app,docs")),
        reporter, log);
    reporter.finish(context);

    String summary = Files.readString(summaryFile);
    assertTrue(summary.startsWith("## Depot build ✅ succeeded"), summary);
    assertFalse(summary.contains("`default`"), summary);
    String metadata = GitHubReporterTest.OutputFile.parse(Files.readString(outputFile)).get("metadata");
    assertTrue(metadata.contains("\"app\""), metadata);
    assertTrue(metadata.contains("\"docs\""), metadata);
  }

  @Test
  void targetSecretsAreMaskedBeforeOutput() throws Exception {
    GitHubReporter reporter = reporter();
    for (BuildOptions options : options(definition("app", "docs")).values()) {
      CiReporters.registerSecrets(reporter, options, environment, workspace);
    }

    Recorded.replay(List.of(
        new BuildEvent.Started("app", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Failed("app", "failed to solve: npm-secret-value rejected", "", null, AT.plusSeconds(1))),
        reporter, log);
    reporter.finish(ReportContext.forBake(options(definition("app", "docs"))));

    String text = log.text();
    assertTrue(text.startsWith("::add-mask::depot-token-value\n::add-mask::npm-secret-value\n[renderer]"), text);
    assertTrue(text.contains("failed to solve: *** rejected"), text);
    assertFalse(Files.readString(summaryFile).contains("npm-secret-value"));
  }

  @Test
  void ciLabelsYieldToTargetLabels() throws Exception {
    Map<String, String> ciLabels = CiEnvironment.detect(environment).labels();
    BakeDefinition labelled = definition("app", "docs").withDefaultLabels(ciLabels);
    Map<String, BuildOptions> options = options(labelled);

    Map<String, String> app = options.get("app").labels();
    Map<String, String> docs = options.get("docs").labels();
    assertEquals("https://github.com/acme/app", app.get("org.opencontainers.image.source"));
    assertEquals("0123456789abcdef0123456789abcdef01234567", app.get("org.opencontainers.image.revision"));
    assertEquals("https://example.test/docs", docs.get("org.opencontainers.image.source"));
    assertEquals("0123456789abcdef0123456789abcdef01234567", docs.get("org.opencontainers.image.revision"));
  }
}
