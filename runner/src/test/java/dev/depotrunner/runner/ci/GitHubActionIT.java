package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.DepotBuild;
import dev.depotrunner.controlplane.RecordedCall;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.runner.HostEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs the composite action in {@code action.yml} as the GitHub runner would: reads its inputs and
 * steps, evaluates the {@code ${{ }}} expressions it uses, sets the {@code INPUT_*} and {@code GITHUB_*}
 * variables and the environment files in a temporary folder, runs the step's script with bash (which
 * runs the packaged {@code bin/depot}) against the local engine, and checks every output.
 */
class GitHubActionIT {

  private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]+?)\\s*}}");
  private static final String SECRET = "s3cr3t-" + UUID.randomUUID();
  private static final String GITHUB_TOKEN = "ghs_" + UUID.randomUUID().toString().replace("-", "");

  @TempDir Path folder;
  private Path workspace;
  private Path outputFile;
  private Path summaryFile;
  private Map<String, Object> action;

  /** What one run of the action left: its exit code, its log, and the step's outputs. */
  record Run(int exitCode, String log, Map<String, String> stepOutputs) {}

  @BeforeEach
  void setUp() throws IOException {
    workspace = Files.createDirectories(folder.resolve("workspace"));
    outputFile = folder.resolve("github_output");
    summaryFile = folder.resolve("step_summary.md");
    Files.createDirectories(workspace.resolve("app"));
    try (var in = Files.newInputStream(REPOSITORY.resolve("action.yml"))) {
      action = new Yaml().load(in);
    }
  }

  @Test
  void buildPushesAndWritesEveryOutput() throws Exception {
    Files.writeString(workspace.resolve("app/Dockerfile"), """
        ARG BASE
        FROM $BASE as base
        RUN --mount=type=secret,id=token test "$(sha256sum < /run/secrets/token | cut -d' ' -f1)" = "%s"
        RUN echo built > /built
        """.formatted(sha256(SECRET)));
    String repository = "ci/action-it";
    String tag = "ci-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("context", "app");
    inputs.put("tags", registry() + "/" + repository + ":" + tag);
    inputs.put("push", "true");
    inputs.put("build-args", "BASE=" + environment().get("DEPOT_RUNNER_BASE_IMAGE"));
    inputs.put("secrets", "token=" + SECRET);

    Run run = runAction(inputs);

    assertEquals(0, run.exitCode(), run.log());
    if (Boolean.getBoolean("ci.printLog")) {
      System.out.println(run.log());
    }
    Map<String, String> outputs = actionOutputs(run.stepOutputs());
    HttpResponse<byte[]> manifest = registryManifest(repository, tag);
    assertEquals(200, manifest.statusCode(), "the image was pushed");
    String pushedDigest = manifest.headers().firstValue("Docker-Content-Digest").orElseThrow();
    assertEquals(pushedDigest, outputs.get("digest"));
    assertTrue(outputs.get("imageid").startsWith("sha256:"), outputs.get("imageid"));
    JsonNode metadata = ReportFiles.JSON.readTree(outputs.get("metadata"));
    assertEquals(pushedDigest, metadata.path("containerimage.digest").asText());
    // A local builder is no Depot build, so the Depot outputs stay empty.
    assertEquals("", outputs.get("build-id"));
    assertEquals("", outputs.get("build-url"));
    assertEquals("", outputs.get("project-id"));

    assertTrue(run.log().startsWith("[command]"), run.log());
    assertTrue(run.log().contains("::add-mask::" + SECRET + "\n"), run.log());
    assertEquals(1, occurrences(run.log(), SECRET), "the secret appears only in its mask command");
    assertTrue(run.log().contains("::group::Build steps\n"), run.log());
    assertTrue(run.log().contains("::warning file=app/Dockerfile,line=2,endLine=2,title=FromAsCasing::"), run.log());
    String summary = Files.readString(summaryFile);
    assertTrue(summary.startsWith("## Depot build ✅ succeeded"), summary);
    assertTrue(summary.contains("`" + pushedDigest + "`"), summary);
    assertTrue(summary.contains("**FromAsCasing** `app/Dockerfile:2`"), summary);
  }

  @Test
  void depotBuildWithOidcWritesEveryOutput() throws Exception {
    RSAKey signingKey = new RSAKeyGenerator(2048).keyID("github-actions-test").generate();
    String project = "action-project";
    String repository = "ci/action-depot-it";
    String tag = "depot-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(workspace.resolve("app/Dockerfile"), """
        ARG BASE
        FROM $BASE
        RUN echo built-on-depot > /built
        """);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("context", "app");
    inputs.put("project", project);
    inputs.put("tags", registry() + "/" + repository + ":" + tag);
    inputs.put("push", "true");
    inputs.put("build-args", "BASE=" + environment().get("DEPOT_RUNNER_BASE_IMAGE"));
    String idToken = gitHubIdToken(signingKey, "acme/app");

    Run run;
    DepotBuild build;
    List<String> exchanged;
    long forwardedCalls;
    List<RecordedCall> createCalls;
    try (ControlPlane depot = ControlPlane.start(BuilderEndpoint.parse("docker://" + environment().get("DOCKER_HOST"), Map.of()));
        GitHubTokenService tokenService = GitHubTokenService.start(idToken)) {
      depot.addProject(project, "action");
      depot.trustGitHubActions("acme/app", signingKey.toRSAPublicKey());
      Map<String, String> variables = new HashMap<>();
      variables.put("DEPOT_API_URL", depot.url().toString());
      variables.put("ACTIONS_ID_TOKEN_REQUEST_URL", tokenService.url());
      variables.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", GitHubTokenService.REQUEST_TOKEN);
      // A named BuildKit would take precedence over Depot, as with the Depot CLI.
      variables.put("BUILDKIT_HOST", null);

      run = runAction(inputs, variables);

      assertEquals(0, run.exitCode(), run.log());
      assertEquals(1, tokenService.requests().size(), "one ID token request");
      assertEquals("Bearer " + GitHubTokenService.REQUEST_TOKEN, tokenService.requests().get(0).authorization());
      assertTrue(tokenService.requests().get(0).query().contains("audience=https://depot.dev"),
          tokenService.requests().get(0).query());
      assertEquals(1, depot.builds().size(), depot.builds().toString());
      build = depot.builds().get(0);
      assertEquals(FinishBuildRequest.ResultCase.SUCCESS, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
      exchanged = depot.exchangedTokens();
      forwardedCalls = depot.forwardedBuilderCalls();
      createCalls = depot.calls(BuildService.CREATE_BUILD);
    }
    if (Boolean.getBoolean("ci.printLog")) {
      System.out.println(run.log());
    }

    assertEquals(1, exchanged.size(), "one OIDC exchange");
    String depotToken = exchanged.get(0);
    assertEquals(1, createCalls.size());
    assertEquals("Bearer " + depotToken, createCalls.get(0).authorization().orElseThrow());
    assertEquals(project, build.projectId());
    assertTrue(forwardedCalls > 0, "the build ran on the control plane's builder");

    Map<String, String> outputs = actionOutputs(run.stepOutputs());
    String pushedDigest = registryManifest(repository, tag).headers().firstValue("Docker-Content-Digest").orElseThrow();
    assertEquals(pushedDigest, outputs.get("digest"));
    assertTrue(outputs.get("imageid").startsWith("sha256:"), outputs.get("imageid"));
    JsonNode metadata = ReportFiles.JSON.readTree(outputs.get("metadata"));
    assertEquals(pushedDigest, metadata.path("containerimage.digest").asText());
    assertEquals(build.id(), outputs.get("build-id"));
    assertEquals(build.url(), outputs.get("build-url"));
    assertEquals(project, outputs.get("project-id"));

    List<String> lines = run.log().lines().toList();
    assertTrue(lines.get(0).startsWith("[command]depot --ci=github build "), lines.get(0));
    assertEquals("::add-mask::" + idToken, lines.get(1), "the ID token is masked before depot prints anything");
    assertEquals("::add-mask::" + depotToken, lines.get(2), "the Depot token is masked next");
    assertEquals(1, occurrences(run.log(), idToken), "the ID token appears only in its mask command");
    assertEquals(1, occurrences(run.log(), depotToken), "the Depot token appears only in its mask command");
    assertFalse(run.log().contains(GitHubTokenService.REQUEST_TOKEN), "the request token stays out of the log");
    for (Path file : filesUnder(folder)) {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      assertFalse(text.contains(idToken), "the ID token is in " + file);
      assertFalse(text.contains(depotToken), "the Depot token is in " + file);
    }
    String summary = Files.readString(summaryFile);
    assertTrue(summary.contains("Depot build: [" + build.id() + "](" + build.url() + ")"), summary);
  }

  @Test
  void buildOutputSendsNoWorkflowCommands() throws Exception {
    Files.writeString(workspace.resolve("app/Dockerfile"), """
        ARG BASE
        FROM $BASE
        RUN echo '::error::pwned' && echo '::add-mask::x' && printf 'tail\\r::warning::pwned-after-cr\\n' \\
            && echo %s
        """.formatted(UUID.randomUUID()));
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("context", "app");
    inputs.put("build-args", "BASE=" + environment().get("DEPOT_RUNNER_BASE_IMAGE"));

    Run run = runAction(inputs);

    assertEquals(0, run.exitCode(), run.log());
    assertTrue(run.log().lines().anyMatch(line -> line.endsWith(" ::error::pwned")),
        "the build printed its line:\n" + run.log());
    assertTrue(run.log().contains("::warning::pwned-after-cr"), run.log());
    List<String> commands = WorkflowCommands.processed(run.log());
    assertTrue(commands.contains("::group::Build steps"), commands.toString());
    assertTrue(commands.contains("::endgroup::"), commands.toString());
    for (String command : commands) {
      assertFalse(command.contains("pwned"), "the runner would run " + command + ":\n" + run.log());
      assertFalse(command.equals("::add-mask::x"), "the runner would run " + command + ":\n" + run.log());
    }
    assertFalse(WorkflowCommands.endsStopped(run.log()), "commands are resumed at the end:\n" + run.log());
  }

  @Test
  void failingBuildAnnotatesLineAndFailsStep() throws Exception {
    Files.writeString(workspace.resolve("app/Dockerfile"), """
        ARG BASE
        FROM $BASE
        RUN echo about to fail && exit 7
        """);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("context", "app");
    inputs.put("build-args", "BASE=" + environment().get("DEPOT_RUNNER_BASE_IMAGE"));

    Run run = runAction(inputs);

    assertNotEquals(0, run.exitCode(), run.log());
    assertTrue(run.log().contains("::error file=app/Dockerfile,line=3,endLine=3,title=Build failed::"), run.log());
    Map<String, String> outputs = actionOutputs(run.stepOutputs());
    assertEquals("", outputs.get("digest"));
    String summary = Files.readString(summaryFile);
    assertTrue(summary.startsWith("## Depot build ❌ failed"), summary);
    assertTrue(summary.contains("### Error at `app/Dockerfile:3`"), summary);
  }

  @Test
  void bakeReportsEveryTarget() throws Exception {
    Path workdir = Files.createDirectories(workspace.resolve("bake"));
    Files.writeString(workdir.resolve("Dockerfile"), """
        ARG BASE
        FROM $BASE
        ARG NAME
        RUN --mount=type=secret,id=token test "$(sha256sum < /run/secrets/token | cut -d' ' -f1)" = "%s"
        RUN echo "$NAME" > /name
        """.formatted(sha256(SECRET)));
    String tag = "bakeci-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(workdir.resolve("docker-bake.hcl"), """
        group "default" {
          targets = ["app", "docs"]
        }
        target "common" {
          args = { BASE = "%1$s" }
          secret = ["id=token,env=BAKE_TOKEN"]
        }
        target "app" {
          inherits = ["common"]
          args = { NAME = "app" }
          tags = ["%2$s/ci/bakeci-app:%3$s"]
        }
        target "docs" {
          inherits = ["common"]
          args = { NAME = "docs" }
          tags = ["%2$s/ci/bakeci-docs:%3$s"]
        }
        """.formatted(environment().get("DEPOT_RUNNER_BASE_IMAGE"), registry(), tag));
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("bake", "true");
    inputs.put("workdir", "bake");
    inputs.put("push", "true");

    Run run = runAction(inputs, Map.of("BAKE_TOKEN", SECRET));

    assertEquals(0, run.exitCode(), run.log());
    Map<String, String> outputs = actionOutputs(run.stepOutputs());
    String appDigest = registryManifest("ci/bakeci-app", tag).headers().firstValue("Docker-Content-Digest").orElseThrow();
    String docsDigest = registryManifest("ci/bakeci-docs", tag).headers().firstValue("Docker-Content-Digest").orElseThrow();
    JsonNode metadata = ReportFiles.JSON.readTree(outputs.get("metadata"));
    assertEquals(appDigest, metadata.path("app").path("containerimage.digest").asText());
    assertEquals(docsDigest, metadata.path("docs").path("containerimage.digest").asText());
    // Several targets have no single digest, as depot/bake-action leaves it unset.
    assertEquals("", outputs.get("digest"));

    assertTrue(run.log().contains("::add-mask::" + SECRET + "\n"), run.log());
    assertEquals(1, occurrences(run.log(), SECRET), "the secret appears only in its mask command");
    assertTrue(run.log().contains("::group::Build steps: app, docs\n"), run.log());
    // The Dockerfile's ARG BASE has no default, which BuildKit's InvalidDefaultArgInFrom check reports per target.
    assertTrue(run.log().contains("::warning file=bake/Dockerfile,line=2,endLine=2,title=app%3A InvalidDefaultArgInFrom::"),
        run.log());
    assertTrue(run.log().contains("::warning file=bake/Dockerfile,line=2,endLine=2,title=docs%3A InvalidDefaultArgInFrom::"),
        run.log());
    String summary = Files.readString(summaryFile);
    assertTrue(summary.contains(registry() + "/ci/bakeci-app:" + tag), summary);
    assertTrue(summary.contains(registry() + "/ci/bakeci-docs:" + tag), summary);
  }

  @Test
  void invalidBooleanInputFailsStep() throws Exception {
    Run run = runAction(Map.of("context", "app", "push", "yes"));

    assertEquals(1, run.exitCode());
    assertTrue(run.log().contains("::error title=depot-runner action::Input push must be true or false, got \"yes\""),
        run.log());
  }

  /** Runs each step of the composite action and returns the last step's run with the step outputs read back. */
  private Run runAction(Map<String, String> inputs) throws Exception {
    return runAction(inputs, Map.of());
  }

  /**
   * Runs the action with {@code variables} added to the job's environment, as a workflow's {@code env} adds
   * them; a null value removes the variable.
   */
  @SuppressWarnings("unchecked")
  private Run runAction(Map<String, String> inputs, Map<String, String> variables) throws Exception {
    Map<String, Object> runs = (Map<String, Object>) action.get("runs");
    assertEquals("composite", runs.get("using"));
    List<Map<String, Object>> steps = (List<Map<String, Object>>) runs.get("steps");
    assertEquals(1, steps.size(), "the action has one step");
    Map<String, Object> step = steps.get(0);
    assertEquals("bash", step.get("shell"));

    Map<String, String> stepEnvironment = new LinkedHashMap<>();
    for (var entry : ((Map<String, Object>) step.get("env")).entrySet()) {
      stepEnvironment.put(entry.getKey(), evaluate(String.valueOf(entry.getValue()), inputs, Map.of()));
    }
    Path script = folder.resolve("step.sh");
    Files.writeString(script, evaluate((String) step.get("run"), inputs, Map.of()));

    Map<String, String> environment = environment();
    environment.putAll(githubVariables());
    variables.forEach((name, value) -> {
      if (value == null) {
        environment.remove(name);
      } else {
        environment.put(name, value);
      }
    });
    environment.putAll(stepEnvironment);
    // GitHub runs a bash step as `bash --noprofile --norc -eo pipefail {0}` in the workspace.
    var builder = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
        .directory(workspace.toFile())
        .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("the action did not finish within 5 minutes:\n" + log);
    }
    String outputs = Files.exists(outputFile) ? Files.readString(outputFile) : "";
    return new Run(process.exitValue(), log, GitHubReporterTest.OutputFile.parse(outputs));
  }

  /** Evaluates the action's declared outputs from the step's outputs; an output the step did not set is empty. */
  @SuppressWarnings("unchecked")
  private Map<String, String> actionOutputs(Map<String, String> stepOutputs) {
    Map<String, String> outputs = new LinkedHashMap<>();
    for (var entry : ((Map<String, Object>) action.get("outputs")).entrySet()) {
      String value = (String) ((Map<String, Object>) entry.getValue()).get("value");
      outputs.put(entry.getKey(), evaluate(value, Map.of(), stepOutputs));
    }
    assertEquals(List.copyOf(BuildOutputs.NAMES), List.copyOf(outputs.keySet()), "the action declares every output");
    return outputs;
  }

  /** Replaces the expressions the action uses: inputs (with their defaults), github context values and step outputs. */
  @SuppressWarnings("unchecked")
  private String evaluate(String text, Map<String, String> inputs, Map<String, String> stepOutputs) {
    Matcher matcher = EXPRESSION.matcher(text);
    var result = new StringBuilder();
    while (matcher.find()) {
      String expression = matcher.group(1);
      String value;
      if (expression.startsWith("inputs.")) {
        String name = expression.substring("inputs.".length());
        Map<String, Object> declared = (Map<String, Object>) ((Map<String, Object>) action.get("inputs")).get(name);
        if (declared == null) {
          throw new AssertionError("action.yml uses an undeclared input: " + name);
        }
        Object fallback = declared.get("default");
        value = inputs.containsKey(name) ? inputs.get(name)
            : fallback == null ? "" : evaluate(String.valueOf(fallback), inputs, stepOutputs);
      } else if (expression.equals("github.token")) {
        value = GITHUB_TOKEN;
      } else if (expression.equals("github.event.repository.private")) {
        value = "false";
      } else if (expression.startsWith("steps.depot.outputs.")) {
        value = stepOutputs.getOrDefault(expression.substring("steps.depot.outputs.".length()), "");
      } else {
        throw new AssertionError("the test does not evaluate the expression " + expression);
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private Map<String, String> githubVariables() throws IOException {
    Map<String, String> variables = new HashMap<>();
    variables.put("CI", "true");
    variables.put("GITHUB_ACTIONS", "true");
    variables.put("GITHUB_ACTION_PATH", REPOSITORY.toString());
    variables.put("GITHUB_WORKSPACE", workspace.toString());
    variables.put("GITHUB_OUTPUT", outputFile.toString());
    variables.put("GITHUB_STEP_SUMMARY", summaryFile.toString());
    variables.put("GITHUB_ENV", folder.resolve("github_env").toString());
    variables.put("GITHUB_PATH", folder.resolve("github_path").toString());
    variables.put("GITHUB_STATE", folder.resolve("github_state").toString());
    variables.put("RUNNER_TEMP", Files.createDirectories(folder.resolve("runner_temp")).toString());
    variables.put("GITHUB_SERVER_URL", "http://127.0.0.1:9");
    variables.put("GITHUB_REPOSITORY", "acme/app");
    variables.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
    variables.put("GITHUB_REF", "refs/heads/main");
    variables.put("GITHUB_RUN_ID", "4242");
    variables.put("GITHUB_EVENT_NAME", "push");
    // Nothing may reach a real Depot API; the runner has no token here and builds locally.
    variables.put("DEPOT_API_URL", "http://127.0.0.1:9");
    variables.put("DEPOT_JVM_CACHE", "off");
    return variables;
  }

  /** This process's environment with the local engine's variables, minus any Depot token or CI markers. */
  private static Map<String, String> environment() {
    Map<String, String> environment = HostEnvironment.withoutCi();
    for (String name : List.of("DOCKER_HOST", "LOCAL_REGISTRY", "DEPOT_RUNNER_BASE_IMAGE")) {
      if (!environment.containsKey(name)) {
        fail(name + " is not set: run `scripts/local-env up` and `eval \"$(scripts/local-env env)\"` first");
      }
    }
    return environment;
  }

  private static String registry() {
    return environment().get("LOCAL_REGISTRY");
  }

  private static HttpResponse<byte[]> registryManifest(String repository, String reference) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://" + registry() + "/v2/" + repository + "/manifests/" + reference))
        .header("Accept", String.join(",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json"))
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha256(String text) throws Exception {
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(digest);
  }

  private static int occurrences(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
  /** Signs an ID token with the claims GitHub Actions gives a push to main, for the audience Depot requests. */
  private static String gitHubIdToken(RSAKey key, String repository) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer("https://token.actions.githubusercontent.com")
        .subject("repo:" + repository + ":ref:refs/heads/main")
        .audience("https://depot.dev")
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
        .jwtID(UUID.randomUUID().toString())
        .claim("repository", repository)
        .claim("repository_owner", repository.substring(0, repository.indexOf('/')))
        .claim("ref", "refs/heads/main")
        .claim("sha", "0123456789abcdef0123456789abcdef01234567")
        .claim("workflow", "build")
        .claim("event_name", "push")
        .claim("run_id", "4242")
        .claim("actor", "octocat")
        .claim("job_workflow_ref", repository + "/.github/workflows/build.yml@refs/heads/main")
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static List<Path> filesUnder(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  /**
   * A loopback stand-in for GitHub's ID token service at {@code ACTIONS_ID_TOKEN_REQUEST_URL}: it returns
   * {@code {"value": ID_TOKEN}} to a request with the job's bearer token and the Depot audience, and HTTP 401
   * or 400 otherwise.
   */
  private static final class GitHubTokenService implements AutoCloseable {

    static final String REQUEST_TOKEN = "ghs-request-" + UUID.randomUUID().toString().replace("-", "");
    private static final String PATH = "/_apis/distributedtask/idtoken";

    /** One request as received, with its decoded query. */
    record Request(String authorization, String query) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private GitHubTokenService(HttpServer server) {
      this.server = server;
    }

    static GitHubTokenService start(String idToken) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      var service = new GitHubTokenService(server);
      server.createContext(PATH, exchange -> service.serve(exchange, idToken));
      server.start();
      return service;
    }

    /** Returns the URL with the query GitHub's runner sets, which the client extends with its audience. */
    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + PATH + "?api-version=2.0";
    }

    List<Request> requests() {
      return List.copyOf(requests);
    }

    private void serve(HttpExchange exchange, String idToken) throws IOException {
      try (exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String query = String.valueOf(exchange.getRequestURI().getQuery());
        requests.add(new Request(authorization, query));
        int status;
        String body;
        if (!("Bearer " + REQUEST_TOKEN).equals(authorization)) {
          status = 401;
          body = "{\"message\":\"invalid bearer token\"}";
        } else if (!List.of(query.split("&")).contains("audience=https://depot.dev")) {
          status = 400;
          body = "{\"message\":\"audience must be https://depot.dev\"}";
        } else {
          status = 200;
          body = "{\"value\":\"" + idToken + "\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
