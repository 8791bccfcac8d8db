package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Checks that action.yml and the CI templates parse, and that they match what the reporters write. */
class CiTemplatesTest {

  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
  private static final Path TEMPLATES = REPOSITORY.resolve("ci-templates");

  /** depot/build-push-action's inputs, except buildx-fallback: there is no buildx to fall back to. */
  private static final List<String> BUILD_PUSH_INPUTS = List.of(
      "add-hosts", "allow", "annotations", "attests", "build-args", "build-contexts", "build-platform", "cache-from",
      "cache-to", "cgroup-parent", "context", "file", "github-token", "labels", "lint", "lint-fail-on", "load",
      "network", "no-cache", "no-cache-filters", "outputs", "platforms", "provenance", "project", "pull", "push",
      "save", "save-tag", "save-tags", "sbom", "sbom-dir", "secrets", "secret-files", "shm-size", "ssh", "tags",
      "target", "token", "ulimit");
  /** depot/bake-action's inputs that build-push-action lacks, except buildx-fallback. */
  private static final List<String> BAKE_INPUTS = List.of("files", "set", "targets", "workdir");

  private static Map<String, Object> load(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      return new Yaml().load(reader);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @Test
  @SuppressWarnings("unchecked")
  void actionHasBuildPushAndBakeInputs() throws IOException {
    Map<String, Object> action = load(REPOSITORY.resolve("action.yml"));
    Set<String> inputs = map(action.get("inputs")).keySet();

    for (String input : BUILD_PUSH_INPUTS) {
      assertTrue(inputs.contains(input), "action.yml lacks the input " + input);
    }
    for (String input : BAKE_INPUTS) {
      assertTrue(inputs.contains(input), "action.yml lacks the bake input " + input);
    }
    assertTrue(inputs.contains("bake"));
    assertEquals(new LinkedHashSet<>(BuildOutputs.NAMES), map(action.get("outputs")).keySet());
    assertEquals("composite", map(action.get("runs")).get("using"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void actionPassesEveryInputToItsStep() throws IOException {
    Map<String, Object> action = load(REPOSITORY.resolve("action.yml"));
    List<Map<String, Object>> steps = (List<Map<String, Object>>) map(action.get("runs")).get("steps");
    Map<String, Object> environment = map(steps.get(0).get("env"));

    for (String input : map(action.get("inputs")).keySet()) {
      String variable = "INPUT_" + input.toUpperCase().replace('-', '_');
      assertEquals("${{ inputs." + input + " }}", environment.get(variable), variable);
    }
    for (var output : map(action.get("outputs")).entrySet()) {
      assertEquals("${{ steps.depot.outputs." + output.getKey() + " }}", map(output.getValue()).get("value"));
    }
  }

  @Test
  void actionScriptIsValidBash() throws Exception {
    Path script = TEMPLATES.resolve("github-actions/depot-action.sh");
    Process process = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    assertTrue(Files.isExecutable(script), "the composite step runs the script directly");
  }

  @Test
  void gitLabTemplateStoresTheReports() throws IOException {
    Map<String, Object> template = load(TEMPLATES.resolve("gitlab/depot-build.gitlab-ci.yml"));
    Map<String, Object> job = map(template.get(".depot-build"));

    Map<String, Object> variables = map(job.get("variables"));
    String folder = (String) variables.get(ReportFiles.FOLDER_VARIABLE);
    Map<String, Object> reports = map(map(job.get("artifacts")).get("reports"));
    assertEquals(folder + "/" + GitLabReporter.DOTENV_FILE, reports.get("dotenv"));
    assertEquals(folder + "/" + GitLabReporter.CODE_QUALITY_FILE, reports.get("codequality"));
    assertEquals("always", map(job.get("artifacts")).get("when"));
    assertEquals("https://depot.dev", map(map(job.get("id_tokens")).get("DEPOT_OIDC_TOKEN")).get("aud"));
    assertTrue(String.valueOf(job.get("script")).contains("depot --ci=gitlab build"));
    assertTrue(template.containsKey(".depot-bake"));
  }

  @Test
  void gitLabJobImageKeepsLauncherLayout() throws IOException {
    String dockerfile = Files.readString(TEMPLATES.resolve("gitlab/Dockerfile"));

    assertTrue(dockerfile.contains("/opt/depot-runner/bin/depot"), dockerfile);
    assertTrue(dockerfile.contains("/opt/depot-runner/runner/target/depot-runner.jar"), dockerfile);
    assertTrue(dockerfile.contains("/opt/depot-runner/runner/target/lib"), dockerfile);
  }

  @Test
  @SuppressWarnings("unchecked")
  void circleCiConfigStoresReportsAsArtifacts() throws IOException {
    Map<String, Object> orb = load(TEMPLATES.resolve("circleci/orb.yml"));

    assertEquals(2.1, orb.get("version"));
    Map<String, Object> build = map(map(orb.get("commands")).get("build"));
    List<Map<String, Object>> steps = (List<Map<String, Object>>) build.get("steps");
    assertEquals(List.of("run", "store_artifacts", "run"), steps.stream().map(step -> step.keySet().iterator().next()).toList());
    Map<String, Object> run = map(steps.get(0).get("run"));
    assertEquals("<< parameters.report-dir >>", map(run.get("environment")).get(ReportFiles.FOLDER_VARIABLE));
    assertTrue(String.valueOf(run.get("command")).contains("depot --ci=circleci"));
    assertEquals("<< parameters.report-dir >>", map(steps.get(1).get("store_artifacts")).get("path"));
    assertTrue(map(orb.get("jobs")).containsKey("build"));
  }

  @Test
  void jenkinsStepReturnsOutputsAndBindsOidcToken() throws IOException {
    String step = Files.readString(TEMPLATES.resolve("jenkins/vars/depotBuild.groovy"));

    assertTrue(step.contains("Map call(Map config = [:])"), "the step is called as depotBuild(...)");
    assertTrue(step.contains("variable: 'DEPOT_OIDC_TOKEN'"));
    assertTrue(step.contains("/" + FileReporter.OUTPUTS_FILE + "\""));
    assertTrue(step.contains("/" + FileReporter.SARIF_FILE + "\""));
    assertTrue(step.contains("DEPOT_CI_REPORT_DIR="));
    assertTrue(step.contains("'--ci=jenkins'"));
  }
}
