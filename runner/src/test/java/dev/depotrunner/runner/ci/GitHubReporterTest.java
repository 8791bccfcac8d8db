package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubReporterTest {

  private static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");

  @TempDir Path folder;
  private Path workspace;
  private Path outputFile;
  private Path summaryFile;
  private final Recorded.Log log = new Recorded.Log();

  @BeforeEach
  void createWorkspace() throws IOException {
    workspace = Files.createDirectories(folder.resolve("workspace"));
    outputFile = folder.resolve("output");
    summaryFile = folder.resolve("summary.md");
  }

  private CiEnvironment environment() {
    Map<String, String> variables = new HashMap<>();
    variables.put("GITHUB_ACTIONS", "true");
    variables.put("GITHUB_SERVER_URL", "https://github.com");
    variables.put("GITHUB_REPOSITORY", "acme/app");
    variables.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    variables.put("GITHUB_REF", "refs/heads/main");
    variables.put("GITHUB_RUN_ID", "4242");
    variables.put("GITHUB_WORKSPACE", workspace.toString());
    variables.put("GITHUB_OUTPUT", outputFile.toString());
    variables.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
    return CiEnvironment.detect(variables);
  }

  private GitHubReporter reporter() {
    Deque<String> delimiters = new ArrayDeque<>(List.of("ghadelimiter_1", "ghadelimiter_2", "ghadelimiter_3"));
    return new GitHubReporter(environment(), log.stream, workspace, delimiters::pop);
  }

  private ReportContext context(String... tags) {
    Path dockerfile = workspace.resolve("app/Dockerfile");
    return new ReportContext(Map.of("default", new ReportContext.TargetInputs(List.of(tags), dockerfile)),
        Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void failingRunAnnotatesDockerfileLine() throws Exception {
    GitHubReporter reporter = reporter();
    Recorded.replay("failing-run", reporter, log);
    reporter.finish(context().withDepotBuild(Optional.of("bld-1"), Optional.of("https://depot.example/b/1"),
        Optional.of("prj-1")));

    Recorded.assertGolden("github/failing-run.log", log.text());
    Recorded.assertGolden("github/failing-run.summary.md", Files.readString(summaryFile));
    assertEquals("build-id=bld-1\nbuild-url=https://depot.example/b/1\nproject-id=prj-1\n", Files.readString(outputFile));
    assertTrue(log.text().contains("::error file=app/Dockerfile,line=4,endLine=6,title=Build failed::"), log.text());
  }

  @Test
  void buildChecksBecomeWarningAnnotations() throws Exception {
    GitHubReporter reporter = reporter();
    Recorded.replay("build-checks", reporter, log);
    reporter.finish(context());

    Recorded.assertGolden("github/build-checks.log", log.text());
    Recorded.assertGolden("github/build-checks.summary.md", Files.readString(summaryFile));
    assertTrue(log.text().contains("::warning file=app/Dockerfile,line=1,endLine=1,title=FromAsCasing::"), log.text());
  }

  @Test
  void succeededBuildWritesOutputs() throws Exception {
    GitHubReporter reporter = reporter();
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context("registry.example/app:1", "registry.example/app:latest"));

    Recorded.assertGolden("github/cached-multistage.output", Files.readString(outputFile));
    Recorded.assertGolden("github/cached-multistage.summary.md", Files.readString(summaryFile));
    Map<String, String> outputs = OutputFile.parse(Files.readString(outputFile));
    assertEquals("sha256:4f2b8e1c9d7a6b5e3f1a0c9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e", outputs.get("digest"));
    assertEquals(outputs.get("digest"), outputs.get("imageid"));
    assertTrue(outputs.get("metadata").contains("\"containerimage.digest\""), outputs.get("metadata"));
  }

  @Test
  void bakeGroupsEachTarget() throws Exception {
    GitHubReporter reporter = reporter();
    Recorded.replay("bake-two-targets", reporter, log);
    reporter.finish(new ReportContext(Map.of(), Optional.empty(), Optional.empty(), Optional.empty()));

    Recorded.assertGolden("github/bake-two-targets.log", log.text());
    assertTrue(log.text().contains("::group::app: Load build definition and context\n"), log.text());
    assertTrue(log.text().contains("::group::Build steps: app, docs\n"), log.text());
    assertTrue(log.text().contains("::error title=docs%3A Build failed::failed to solve"), log.text());
  }

  @Test
  void groupsCloseBeforeRendererFinishes() {
    GitHubReporter reporter = reporter();
    Recorded.replay("failing-run", reporter, log);

    String text = log.text();
    assertTrue(text.endsWith("::endgroup::\n[renderer] closed\n"), text);
    assertEquals(count(text, "::group::"), count(text, "::endgroup::"));
  }

  @Test
  void escapesDataAndProperties() {
    assertEquals("100%25 done%0D%0Anext: a,b", GitHubReporter.escapeData("100% done\r\nnext: a,b"));
    assertEquals("100%25 done%0D%0Anext%3A a%2Cb", GitHubReporter.escapeProperty("100% done\r\nnext: a,b"));
  }

  @Test
  void annotationEscapesPathTitleAndMessage() {
    var finding = new Finding(Finding.Severity.WARNING, "web,api", "Check:Name", "50% of\nlines", "dir,x/Docker:file",
        3, 4, "");
    assertEquals("::warning file=dir%2Cx/Docker%3Afile,line=3,endLine=4,title=web%2Capi%3A Check%3AName::50%25 of%0Alines",
        GitHubReporter.annotation("warning", finding));
  }

  @Test
  void secretsAreMaskedLineByLineAndRedacted() throws Exception {
    GitHubReporter reporter = reporter();
    reporter.registerSecret("first-line-secret\nsecond-line-secret");
    reporter.registerSecret("token%value");
    reporter.registerSecret("token%value");
    reporter.registerSecret("  ");

    Recorded.replay(List.of(
        new BuildEvent.Started("default", "local", List.of("linux/amd64"), AT),
        new BuildEvent.Failed("default", "failed to solve: login with token%value failed", "", null, AT.plusSeconds(1))),
        reporter, log);
    reporter.finish(context());

    String text = log.text();
    assertTrue(text.startsWith("::add-mask::first-line-secret\n::add-mask::second-line-secret\n"
        + "::add-mask::token%25value\n[renderer]"), text);
    assertEquals(1, count(text, "::add-mask::token"));
    assertTrue(text.contains("::error title=Build failed::failed to solve: login with *** failed"), text);
    assertFalse(Files.readString(summaryFile).contains("token%value"));
  }

  @Test
  void annotationsStopAtGitHubLimit() throws Exception {
    GitHubReporter reporter = reporter();
    List<VertexWarning> warnings = new ArrayList<>();
    for (int line = 1; line <= 12; line++) {
      var source = new SourceLocation("Dockerfile", new byte[0], List.of(new SourceLocation.LineRange(line, line)));
      warnings.add(new VertexWarning("sha256:v", 1, "Check" + line + ": warning on line " + line, List.of(), "", source));
    }
    Recorded.replay(List.of(new BuildEvent.Progress("default", new SolveStatus(List.of(), List.of(), List.of(), warnings))),
        reporter, log);
    reporter.finish(context());

    assertEquals(10, log.text().lines().filter(line -> line.startsWith("::warning ")).count(), log.text());
    assertTrue(log.text().contains("2 more warnings are not annotated because GitHub shows at most 10 per step"),
        log.text());
    assertTrue(Files.readString(summaryFile).contains("### Warnings (12)"));
  }

  @Test
  void multiLineOutputDelimiterIsUnique() {
    GitHubReporter reporter = reporter();
    assertEquals("digest=sha256:1\n", reporter.outputEntry("digest", "sha256:1"));
    assertEquals("metadata<<ghadelimiter_2\n{\nghadelimiter_1\n}\nghadelimiter_2\n",
        reporter.outputEntry("metadata", "{\nghadelimiter_1\n}"));
  }

  @Test
  void summaryStaysUnderOneMebibyte() throws Exception {
    Files.writeString(summaryFile, "x".repeat(200_000) + "\n");
    GitHubReporter reporter = reporter();
    String hugeError = "failed to solve: " + "line of build output\n".repeat(150_000);
    Recorded.replay(List.of(new BuildEvent.Failed("default", hugeError, "", null, AT)), reporter, log);
    reporter.finish(context());

    long size = Files.size(summaryFile);
    assertTrue(size <= GitHubReporter.MAX_SUMMARY_BYTES, "summary file has " + size + " bytes");
    String summary = Files.readString(summaryFile, StandardCharsets.UTF_8);
    assertTrue(summary.contains("more characters in the log"), "the error is shortened, not dropped");
  }

  @Test
  void missingEnvironmentFilesAreSkipped() throws Exception {
    var ci = CiEnvironment.detect(Map.of("GITHUB_ACTIONS", "true"));
    var reporter = new GitHubReporter(ci, log.stream, workspace);
    Recorded.replay("cached-multistage", reporter, log);
    reporter.finish(context());

    assertFalse(Files.exists(outputFile));
    assertFalse(Files.exists(summaryFile));
  }

  @Test
  void unwritableOutputFileFailsWithPath() throws Exception {
    Files.createDirectories(outputFile);
    GitHubReporter reporter = reporter();
    Recorded.replay("cached-multistage", reporter, log);

    var error = org.junit.jupiter.api.Assertions.assertThrows(CiReportException.class, () -> reporter.finish(context()));
    assertTrue(error.getMessage().startsWith("failed to write " + outputFile + " (GITHUB_OUTPUT)"), error.getMessage());
  }

  private static int count(String text, String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  /** Reads a GITHUB_OUTPUT file as the runner does: {@code name=value} lines and heredoc entries. */
  static final class OutputFile {
    static Map<String, String> parse(String text) {
      Map<String, String> outputs = new HashMap<>();
      List<String> lines = text.lines().collect(Collectors.toList());
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        int heredoc = line.indexOf("<<");
        int equals = line.indexOf('=');
        if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
          String delimiter = line.substring(heredoc + 2);
          List<String> value = new ArrayList<>();
          for (i++; !lines.get(i).equals(delimiter); i++) {
            value.add(lines.get(i));
          }
          outputs.put(line.substring(0, heredoc), String.join("\n", value));
        } else {
          outputs.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
      return outputs;
    }
  }
}
