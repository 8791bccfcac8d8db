package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.runner.Main;
import dev.depotrunner.steps.build.options.AttestSpec;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.BuildPlatform;
import dev.depotrunner.steps.build.options.ContextSource;
import dev.depotrunner.steps.build.options.DockerfileSource;
import dev.depotrunner.steps.build.options.Entitlement;
import dev.depotrunner.steps.build.options.HostEntry;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.LintFailOn;
import dev.depotrunner.steps.build.options.NetworkMode;
import dev.depotrunner.steps.build.options.Platform;
import dev.depotrunner.steps.build.options.ProgressMode;
import dev.depotrunner.steps.build.options.Ulimit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCommandTest {

  @TempDir Path workingDirectory;
  private Path context;
  private final Map<String, String> environment = new HashMap<>();
  private String stdin = "";
  private BuildOptions executed;
  private BuildExecutor executor = (options, invocation) -> {
    executed = options;
    return 0;
  };

  /** The exit code and the text a run wrote. */
  record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void createContext() throws IOException {
    context = Files.createDirectories(workingDirectory.resolve("app"));
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\n");
  }

  private Result run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var invocation = new Invocation(
        environment,
        workingDirectory,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false,
        false);
    int exitCode = Main.run(args, invocation, executor);
    return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private BuildOptions build(String... args) {
    Result result = run(args);
    assertEquals(0, result.exitCode(), result.err());
    assertNotNull(executed, "executor called");
    return executed;
  }

  private static void assertUsageError(Result result, String expected) {
    assertEquals(2, result.exitCode(), result.err());
    List<String> lines = result.err().lines().toList();
    assertTrue(lines.get(0).startsWith("error: "), result.err());
    assertTrue(lines.stream().anyMatch(line -> line.contains(expected)), "no line contains \"" + expected + "\": " + result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
  }

  @Test
  void build_defaults() {
    BuildOptions options = build("build", "app");
    assertEquals(new ContextSource.Local(context), options.context());
    assertEquals(new DockerfileSource.Local(context, "Dockerfile", false), options.dockerfile());
    assertEquals(ProgressMode.AUTO, options.progress());
    assertEquals(NetworkMode.DEFAULT, options.network());
    assertEquals(List.of(), options.tags());
    assertFalse(options.push());
    assertTrue(options.defaultLoad());
  }

  @Test
  void build_everyDockerFlag() throws IOException {
    Path shared = Files.createDirectories(workingDirectory.resolve("shared"));
    Files.writeString(context.resolve("dev.Dockerfile"), "FROM busybox\n");
    environment.put("FROM_ENV", "from environment");

    BuildOptions options = build("build",
        "--add-host", "db:10.0.0.5,cache=10.0.0.6", "--add-host", "gw=host-gateway",
        "--allow", "network.host",
        "--annotation", "org.opencontainers.image.title=app",
        "--attest", "type=sbom",
        "--provenance", "mode=max",
        "--build-arg", "A=1", "--build-arg", "FROM_ENV", "--build-arg", "UNSET",
        "--build-context", "shared=shared",
        "--cache-from", "user/app:cache", "--cache-from", "type=local,src=cache",
        "--cache-to", "type=inline",
        "--cgroup-parent", "/build",
        "-f", "app/dev.Dockerfile",
        "--iidfile", "id.txt",
        "--label", "team=build",
        "--metadata-file", "meta.json",
        "--network", "none",
        "--no-cache-filter", "build",
        "-o", "type=image,name=r.example/x",
        "--platform", "linux/amd64,linux/arm64", "--platform", "arm/v7",
        "--progress", "plain",
        "--pull",
        "--push",
        "--secret", "id=npm,src=.npmrc",
        "--shm-size", "64m",
        "--ssh", "default",
        "-t", "r.example/app:1", "--tag", "r.example/app:latest",
        "--target", "runtime",
        "--ulimit", "nofile=1024:2048",
        "app");

    assertEquals(List.of(new HostEntry("db", "10.0.0.5"), new HostEntry("cache", "10.0.0.6"), new HostEntry("gw", "host-gateway")), options.extraHosts());
    assertEquals(List.of(Entitlement.NETWORK_HOST), options.allow());
    assertEquals("annotation.org.opencontainers.image.title", options.annotations().get(0).exporterAttribute());
    assertEquals(List.of("sbom", "provenance"), options.attests().stream().map(AttestSpec::type).toList());
    assertEquals(Map.of("A", "1", "FROM_ENV", "from environment"), options.buildArgs());
    assertEquals("shared", options.buildContexts().get(0).name());
    assertEquals(shared, ((dev.depotrunner.steps.build.options.BuildContextSpec.LocalDirectory) options.buildContexts().get(0).source()).path());
    assertEquals(List.of("registry", "local"), options.cacheFrom().stream().map(c -> c.type()).toList());
    assertEquals("inline", options.cacheTo().get(0).type());
    assertEquals(Optional.of("/build"), options.cgroupParent());
    assertEquals(new DockerfileSource.Local(context, "dev.Dockerfile", false), options.dockerfile());
    assertEquals(Optional.of(workingDirectory.resolve("id.txt")), options.imageIdFile());
    assertEquals(Map.of("team", "build"), options.labels());
    assertEquals(Optional.of(workingDirectory.resolve("meta.json")), options.metadataFile());
    assertEquals(NetworkMode.NONE, options.network());
    assertEquals(List.of("build"), options.noCacheFilter());
    assertEquals("image", options.outputs().get(0).type());
    assertEquals(List.of("linux/amd64", "linux/arm64", "linux/arm/v7"), options.platforms().stream().map(Platform::toString).toList());
    assertEquals(ProgressMode.PLAIN, options.progress());
    assertTrue(options.pull());
    assertTrue(options.push());
    assertEquals(List.of("id=npm,src=.npmrc"), options.secrets());
    assertEquals(64L << 20, options.shmSize().orElseThrow().bytes());
    assertEquals(List.of("default"), options.ssh());
    assertEquals(List.of("r.example/app:1", "r.example/app:latest"), options.tags().stream().map(ImageReference::toString).toList());
    assertEquals(Optional.of("runtime"), options.target());
    assertEquals(List.of(new Ulimit("nofile", 1024, 2048)), options.ulimits());
  }

  @Test
  void build_depotAndBuilderFlags() throws IOException {
    Path tls = Files.createDirectories(workingDirectory.resolve("tls"));
    for (String name : List.of("ca.pem", "cert.pem", "key.pem")) {
      Files.writeString(tls.resolve(name), "x");
    }
    BuildOptions options = build("build",
        "--project", "p123", "--token", "t0ken", "--save", "--save-tag", "v1", "--build-platform", "linux/arm64",
        "--lint", "--lint-fail-on", "warn", "--sbom-dir", "sboms",
        "--builder", "tcp://127.0.0.1:1234", "--tlsdir", "tls", "--tlsservername", "buildkitd",
        "app");

    assertEquals(Optional.of("p123"), options.project());
    assertEquals("t0ken", options.token().orElseThrow().value());
    assertTrue(options.save());
    assertEquals(List.of("v1"), options.saveTags());
    assertEquals(BuildPlatform.LINUX_ARM64, options.buildPlatform());
    assertTrue(options.lint());
    assertEquals(LintFailOn.WARN, options.lintFailOn());
    assertEquals(Optional.of(workingDirectory.resolve("sboms")), options.sbomDirectory());
    assertEquals(Optional.of("tcp://127.0.0.1:1234"), options.builderEndpoint().address());
    assertEquals(Optional.of(tls.resolve("cert.pem")), options.builderEndpoint().clientCertificate());
    assertEquals(Optional.of("buildkitd"), options.builderEndpoint().effectiveServerName());
  }

  @Test
  void build_environmentFallbacks() {
    environment.putAll(Map.of(
        "DOCKER_DEFAULT_PLATFORM", "linux/arm64",
        "BUILDKIT_PROGRESS", "rawjson",
        "BUILDKIT_HOST", "unix:///run/buildkit/buildkitd.sock",
        "DEPOT_TOKEN", "env-token",
        "DEPOT_PROJECT_ID", "env-project",
        "DEPOT_BUILD_PLATFORM", "linux/amd64"));
    BuildOptions options = build("build", "app");
    assertEquals(List.of("linux/arm64"), options.platforms().stream().map(Platform::toString).toList());
    assertEquals(ProgressMode.RAWJSON, options.progress());
    assertEquals(Optional.of("unix:///run/buildkit/buildkitd.sock"), options.builderEndpoint().address());
    assertEquals("env-token", options.token().orElseThrow().value());
    assertEquals(Optional.of("env-project"), options.project());
    assertEquals(BuildPlatform.LINUX_AMD64, options.buildPlatform());

    BuildOptions overridden = build("build", "--platform", "linux/amd64", "--progress", "plain", "--token", "flag-token", "app");
    assertEquals(List.of("linux/amd64"), overridden.platforms().stream().map(Platform::toString).toList());
    assertEquals(ProgressMode.PLAIN, overridden.progress());
    assertEquals("flag-token", overridden.token().orElseThrow().value());
  }

  @Test
  void build_emptyProjectAndTokenUseEnvironment() {
    environment.putAll(Map.of("DEPOT_TOKEN", "env-token", "DEPOT_PROJECT_ID", "env-project"));

    BuildOptions options = build("build", "--project", "", "--token", "", "app");

    assertEquals(Optional.of("env-project"), options.project());
    assertEquals("env-token", options.token().orElseThrow().value());
  }

  @Test
  void build_suppressNoOutputWarningFromEnvironment() {
    environment.put("DEPOT_SUPPRESS_NO_OUTPUT_WARNING", "1");
    assertFalse(build("build", "app").defaultLoad());
    assertTrue(build("build", "--suppress-no-output-warning=false", "app").defaultLoad());
  }

  @Test
  void build_dashValuesAndAttachedForms() {
    BuildOptions options = build("build", "-o", "-", "--platform=linux/amd64", "--output=type=local,dest=out", "-tapp:1", "app");
    assertEquals(List.of("tar", "local"), options.outputs().stream().map(output -> output.type()).toList());
    assertEquals(Optional.of("-"), options.outputs().get(0).destination());
    assertEquals(List.of("linux/amd64"), options.platforms().stream().map(Platform::toString).toList());
    assertEquals("app:1", options.tags().get(0).toString());
  }

  @Test
  void build_booleanFlagsTakeExplicitValues() {
    BuildOptions options = build("build", "--push=false", "--load=true", "--no-cache", "app");
    assertFalse(options.push());
    assertTrue(options.load());
    assertTrue(options.noCache());
  }

  @Test
  void build_booleanFlagDoesNotSwallowTheContext() {
    BuildOptions options = build("build", "--push", "-t", "r.example/a", "app");
    assertTrue(options.push());
    assertEquals(new ContextSource.Local(context), options.context());
  }

  @Test
  void build_shortOptionsAndAlias() {
    BuildOptions options = build("b", "-qt", "hello", "app");
    assertTrue(options.quiet());
    assertEquals("hello", options.tags().get(0).toString());
  }

  @Test
  void build_dockerfileFromStdin() {
    stdin = "FROM busybox\nRUN echo stdin\n";
    executor = (options, invocation) -> {
      DockerfileSource.Local dockerfile = (DockerfileSource.Local) options.dockerfile();
      assertTrue(dockerfile.fromStdin());
      assertEquals(stdin, Files.readString(dockerfile.file()));
      executed = options;
      return 0;
    };
    BuildOptions options = build("build", "-f", "-", "app");
    assertFalse(Files.exists(((DockerfileSource.Local) options.dockerfile()).directory()), "temporary folder deleted after the build");
  }

  @Test
  void build_contextFromStdin() {
    stdin = "FROM busybox\n";
    BuildOptions options = build("build", "-");
    assertTrue(options.context() instanceof ContextSource.Local);
  }

  @Test
  void build_warningsPrinted() {
    Result result = run("build", "--squash", "--rm=false", "-m", "1g", "app");
    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.err().contains("WARNING: --squash is ignored"), result.err());
  }

  @Test
  void build_executorExitCodePassesThrough() {
    executor = (options, invocation) -> 1;
    assertEquals(1, run("build", "app").exitCode());
  }

  @Test
  void errors_malformedOutput() {
    assertUsageError(run("build", "-o", "type=local,dest=out,\"x", "app"), "error: --output: invalid output \"type=local,dest=out,\"x\": missing closing \"");
    assertUsageError(run("build", "-o", "dest=a,b=c", "app"), "type is required");
    assertUsageError(run("build", "--output", "type=nope", "app"), "unknown type \"nope\"");
    assertNull(executed);
  }

  @Test
  void errors_invalidTag() {
    assertUsageError(run("build", "-t", "Foo/bar", "app"), "error: --tag: invalid image reference \"Foo/bar\": repository name must be lowercase");
  }

  @Test
  void errors_missingDockerfileAndContext() {
    assertUsageError(run("build", "-f", "nope.Dockerfile", "app"), "error: -f: the Dockerfile \"nope.Dockerfile\" does not exist");
    assertUsageError(run("build", "missing"), "error: PATH: the build context folder \"missing\" does not exist");
  }

  @Test
  void errors_everyProblemOnItsOwnLine() {
    Result result = run("build", "-t", "a:b:c", "--platform", "linux/*", "--network", "bridge", "app");
    assertUsageError(result, "--tag");
    assertEquals(3, result.err().lines().count(), result.err());
  }

  @Test
  void errors_unknownFlagSuggestsOption() {
    Result result = run("build", "--plaform", "linux/amd64", "ctx");

    assertEquals(2, result.exitCode(), result.err());
    assertEquals(List.of("error: unknown flag: --plaform (did you mean --platform?)", "Run 'depot build --help' for usage."),
        result.err().lines().toList());
    assertNull(executed);
  }

  @Test
  void errors_unknownFlagWithValue() {
    Result result = run("build", "--plaform=linux/amd64", "ctx");

    assertEquals(2, result.exitCode(), result.err());
    assertEquals("error: unknown flag: --plaform (did you mean --platform?)", result.err().lines().findFirst().orElseThrow());
  }

  @Test
  void errors_picocliUsageErrors() {
    assertUsageError(run("build", "--nope", "app"), "unknown flag: --nope");
    assertUsageError(run("build"), "Missing required parameter: 'PATH | URL | -'");
    assertUsageError(run("build", "app", "other"), "Unmatched argument");
    assertUsageError(run("build", "app", "-t"), "Missing required parameter for option '--tag'");
  }

  @Test
  void errors_executorFailureIsOneLine() {
    executor = (options, invocation) -> {
      throw new IOException("connecting to unix:///run/buildkit/buildkitd.sock failed", new IOException("connection refused"));
    };
    Result result = run("build", "app");
    assertEquals(1, result.exitCode());
    assertEquals("error: connecting to unix:///run/buildkit/buildkitd.sock failed: connection refused\n", result.err());
  }

  @Test
  void errors_debugPrintsStackTraces() {
    executor = (options, invocation) -> {
      assertTrue(invocation.debug());
      throw new IllegalStateException("broken");
    };
    Result result = run("--debug", "build", "app");
    assertEquals(1, result.exitCode());
    assertTrue(result.err().startsWith("error: broken\n"), result.err());
    assertTrue(result.err().contains("\tat "), result.err());

    Result afterSubcommand = run("build", "--debug", "app");
    assertTrue(afterSubcommand.err().contains("\tat "), afterSubcommand.err());

    Result usage = run("build", "--debug", "--nope", "app");
    assertTrue(usage.err().contains("\tat "), usage.err());
  }

  @Test
  void depot_versionAndUsage() {
    Result version = run("--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("depot-runner "), version.out());

    Result usage = run();
    assertEquals(0, usage.exitCode());
    assertTrue(usage.out().contains("build"), usage.out());

    Result help = run("build", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("depot build [OPTIONS] PATH | URL | -"), help.out());
    assertTrue(help.out().contains("--build-arg"), help.out());
    assertFalse(help.out().contains("--squash"), "legacy flags stay hidden");
  }

  @Test
  void depot_unknownCommand() {
    Result result = run("nope");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().startsWith("error: Unmatched argument"), result.err());
    assertTrue(result.err().contains("Run 'depot --help' for usage."), result.err());
  }

  @Test
  void ci_flagBeforeOrAfterSubcommandSetsOverride() {
    Map<String, String> seen = new HashMap<>();
    executor = (options, invocation) -> {
      seen.putAll(invocation.environment());
      return 0;
    };

    assertEquals(0, run("--ci", "gitlab", "build", "app").exitCode());
    assertEquals("gitlab", seen.get("DEPOT_RUNNER_CI"));
    seen.clear();
    assertEquals(0, run("build", "--ci=jenkins", "app").exitCode());
    assertEquals("jenkins", seen.get("DEPOT_RUNNER_CI"));
  }

  @Test
  void ci_invalidValueIsUsageError() {
    Result result = run("--ci", "travis", "build", "app");

    assertEquals(DepotCommand.EXIT_USAGE, result.exitCode());
    assertEquals("error: invalid --ci value \"travis\": use one of github, gitlab, jenkins, circleci, buildkite,"
        + " generic, none\n", result.err());
    assertNull(executed);
  }

  @Test
  void ciLabels_addSourceLabelsBeforeUserLabels() {
    environment.put("GITHUB_ACTIONS", "true");
    environment.put("GITHUB_REPOSITORY", "acme/app");
    environment.put("GITHUB_SHA", "abc123");

    BuildOptions options = build("build", "--ci-labels", "--label", "org.opencontainers.image.url=https://acme.example", "app");

    assertEquals(Map.of(
        "org.opencontainers.image.source", "https://github.com/acme/app",
        "org.opencontainers.image.url", "https://acme.example",
        "org.opencontainers.image.revision", "abc123"), options.labels());
  }

  @Test
  void ciLabels_offByDefault() {
    environment.put("GITHUB_ACTIONS", "true");
    environment.put("GITHUB_REPOSITORY", "acme/app");

    assertEquals(Map.of(), build("build", "app").labels());
  }
}
