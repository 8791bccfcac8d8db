package dev.depotrunner.steps.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.steps.build.SolvePlan.CacheEntry;
import dev.depotrunner.steps.build.SolvePlan.Exporter;
import dev.depotrunner.steps.build.SolvePlan.Requirement;
import dev.depotrunner.steps.build.options.BuildOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans for representative flag sets, with the attributes buildx would send for them. */
class SolvePlannerTest {

  private static final SolvePlanBuilderProfile BUILDKIT = SolvePlanBuilderProfile.buildkit("v0.23.2");
  private static final SolvePlanBuilderProfile ENGINE =
      SolvePlanBuilderProfile.dockerEngine("v0.20.2", false, Optional.of("172.17.0.1"));
  private static final SolvePlanBuilderProfile ENGINE_CONTAINERD =
      SolvePlanBuilderProfile.dockerEngine("v0.20.2", true, Optional.empty());

  @TempDir Path workingDirectory;
  private Path context;

  @BeforeEach
  void createContext() throws IOException {
    context = Files.createDirectories(workingDirectory.resolve("app"));
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox AS build\nFROM build\n");
  }

  private BuildOptions.Builder options() {
    return BuildOptions.builder()
        .context("app")
        .workingDirectory(workingDirectory)
        .environment(Map.of())
        .stdoutIsTerminal(false);
  }

  private static SolvePlan plan(BuildOptions.Builder builder, SolvePlanBuilderProfile profile) throws Exception {
    try (BuildOptions options = builder.build()) {
      return SolvePlanner.plan(options, profile);
    }
  }

  private static SolvePlanException planFailure(BuildOptions.Builder builder, SolvePlanBuilderProfile profile) throws Exception {
    try (BuildOptions options = builder.build()) {
      return assertThrows(SolvePlanException.class, () -> SolvePlanner.plan(options, profile));
    }
  }

  private static Exporter exporter(String type, Map<String, String> attributes, SolvePlan.Destination destination) {
    return new Exporter(type, new TreeMap<>(attributes), destination);
  }

  @Test
  void multiStageTargetWithArgumentsAndLabels() throws Exception {
    SolvePlan plan = plan(options()
        .target("build")
        .buildArgs(List.of("VERSION=1.2", "EMPTY="))
        .labels(List.of("org.example.team=build")), BUILDKIT);

    assertEquals("dockerfile.v0", plan.frontend());
    assertEquals(
        Map.of(
            "filename", "Dockerfile",
            "target", "build",
            "build-arg:VERSION", "1.2",
            "build-arg:EMPTY", "",
            "label:org.example.team", "build",
            "attest:provenance", "mode=min,inline-only=true"),
        plan.frontendAttributes());
    assertEquals(Map.of("context", context, "dockerfile", context), plan.localDirs());
    assertEquals(Optional.of("app"), plan.sharedKey());
    assertEquals(List.of(), plan.exporters());
    assertTrue(plan.warnings().get(0).startsWith("No output specified"), plan.warnings().toString());
    assertEquals(List.of(), plan.entitlements());
  }

  @Test
  void pushWithTwoTags() throws Exception {
    SolvePlan plan = plan(options().push(true).tags(List.of("127.0.0.1:5000/demo/hello:1", "127.0.0.1:5000/demo/hello:latest")), BUILDKIT);

    assertEquals(
        List.of(exporter("image",
            Map.of("name", "127.0.0.1:5000/demo/hello:1,127.0.0.1:5000/demo/hello:latest", "push", "true", "unpack", "false"),
            new SolvePlan.NoDestination())),
        plan.exporters());
    assertEquals(List.of(), plan.enginePushes());
    assertEquals(List.of(), plan.warnings());
  }

  @Test
  void pushOnDockerEngineWithoutContainerdPushesThroughTheEngine() throws Exception {
    SolvePlan plan = plan(options().push(true).tags(List.of("127.0.0.1:5000/a:1", "127.0.0.1:5000/a:2")), ENGINE);

    assertEquals(
        List.of(exporter("moby", Map.of("name", "127.0.0.1:5000/a:1,127.0.0.1:5000/a:2", "push", "true", "unpack", "false"),
            new SolvePlan.NoDestination())),
        plan.exporters());
    assertEquals(List.of("127.0.0.1:5000/a:1", "127.0.0.1:5000/a:2"), plan.enginePushes());
    assertEquals("local", plan.frontendAttributes().get("image-resolve-mode"));
    assertFalse(plan.frontendAttributes().containsKey("attest:provenance"), "no default provenance without containerd");
  }

  @Test
  void pushOnDockerEngineWithContainerdPushesFromTheExporter() throws Exception {
    SolvePlan plan = plan(options().push(true).tags(List.of("127.0.0.1:5000/a:1")), ENGINE_CONTAINERD);

    assertEquals("moby", plan.exporters().get(0).type());
    assertEquals("true", plan.exporters().get(0).attributes().get("prefer-image-digest"));
    assertEquals(List.of(), plan.enginePushes());
    assertEquals("mode=min,inline-only=true", plan.frontendAttributes().get("attest:provenance"));
  }

  @Test
  void loadIntoTheEngine() throws Exception {
    SolvePlan remote = plan(options().load(true).tags(List.of("hello:dev")), BUILDKIT);
    assertEquals(
        List.of(exporter("docker", Map.of("name", "hello:dev"), new SolvePlan.DockerEngine(Optional.empty()))),
        remote.exporters());

    SolvePlan engine = plan(options().load(true).tags(List.of("hello:dev")), ENGINE);
    assertEquals(List.of(exporter("moby", Map.of("name", "hello:dev"), new SolvePlan.NoDestination())), engine.exporters());
  }

  @Test
  void loadFromAnotherEngineSendsTarball() throws Exception {
    SolvePlan plan = plan(options().load(true).tags(List.of("hello:dev")), ENGINE_CONTAINERD.withOtherDockerHost());

    assertEquals(
        List.of(exporter("docker", Map.of("name", "hello:dev"), new SolvePlan.DockerEngine(Optional.empty()))),
        plan.exporters());
  }

  @Test
  void loadFromAnotherEngineNeedsContainerd() throws Exception {
    SolvePlanException error = planFailure(options().load(true).tags(List.of("hello:dev")), ENGINE.withOtherDockerHost());

    assertTrue(error.getMessage().startsWith("--load: this Docker Engine builder is not the engine DOCKER_HOST names"), error.getMessage());
  }

  @Test
  void contextArchiveFromStdinIsUploaded() throws Exception {
    byte[] gzip = {0x1F, (byte) 0x8B, 0x08, 0, 0, 0};
    SolvePlan plan = plan(
        options().context("-").file("sub/Dockerfile").stdin(() -> new java.io.ByteArrayInputStream(gzip)), BUILDKIT);

    assertTrue(plan.frontendAttributes().get("context").matches("http://buildkit-session/[0-9a-f]{32}"),
        plan.frontendAttributes().get("context"));
    assertEquals("sub/Dockerfile", plan.frontendAttributes().get("filename"));
    assertEquals(Map.of(), plan.localDirs());
  }

  @Test
  void loadRejectsSeveralPlatforms() throws Exception {
    SolvePlanException error = planFailure(options().load(true).platforms(List.of("linux/amd64,linux/arm64")), BUILDKIT);
    assertTrue(error.getMessage().contains("docker exporter cannot hold a multi-platform image"), error.getMessage());
  }

  @Test
  void tagWithoutOutputsOnTheEngineKeepsTheImage() throws Exception {
    SolvePlan plan = plan(options().tags(List.of("hello")), ENGINE);
    assertEquals(List.of(exporter("moby", Map.of("name", "hello"), new SolvePlan.NoDestination())), plan.exporters());
    assertEquals(List.of(), plan.warnings());

    SolvePlan suppressed = plan(options().tags(List.of("hello")).suppressNoOutputWarning(true), ENGINE);
    assertEquals(List.of(), suppressed.exporters());
  }

  @Test
  void localOutputFolder() throws Exception {
    SolvePlan plan = plan(options().outputs(List.of("type=local,dest=out")), BUILDKIT);
    assertEquals(List.of(exporter("local", Map.of(), new SolvePlan.Directory(workingDirectory.resolve("out")))), plan.exporters());
  }

  @Test
  void tarballToStdout() throws Exception {
    SolvePlan plan = plan(options().outputs(List.of("-")), BUILDKIT);
    assertEquals(List.of(exporter("tar", Map.of(), new SolvePlan.Stdout())), plan.exporters());
  }

  @Test
  void ociOutputs() throws Exception {
    SolvePlan plan = plan(options().outputs(List.of("type=oci,dest=image.tar")).tags(List.of("a")), BUILDKIT);
    assertEquals(List.of(exporter("oci", Map.of("name", "a"), new SolvePlan.File(workingDirectory.resolve("image.tar")))), plan.exporters());

    SolvePlan layout = plan(options().outputs(List.of("type=oci,tar=false,dest=layout")), BUILDKIT);
    assertEquals(new SolvePlan.ContentStore(workingDirectory.resolve("layout")), layout.exporters().get(0).destination());

    SolvePlanException error = planFailure(options().outputs(List.of("type=oci,dest=image.tar")), ENGINE);
    assertTrue(error.getMessage().contains("containerd image store"), error.getMessage());
  }

  @Test
  void registryOutputBecomesAPushingImage() throws Exception {
    SolvePlan plan = plan(options().outputs(List.of("type=registry,compression=zstd")).tags(List.of("r.example/a:1")), BUILDKIT);
    assertEquals(
        List.of(exporter("image", Map.of("name", "r.example/a:1", "push", "true", "unpack", "false", "compression", "zstd"),
            new SolvePlan.NoDestination())),
        plan.exporters());
  }

  @Test
  void cacheonlyOutputHasNoExporter() throws Exception {
    SolvePlan plan = plan(options().outputs(List.of("type=cacheonly")), ENGINE);
    assertEquals(List.of(), plan.exporters());
    assertEquals(List.of(), plan.warnings());
  }

  @Test
  void pushAndLoadNeedMultipleExporters() throws Exception {
    SolvePlan plan = plan(options().push(true).load(true).tags(List.of("r.example/a:1")), BUILDKIT);
    assertEquals(List.of("image", "docker"), plan.exporters().stream().map(Exporter::type).toList());
    assertTrue(plan.requirements().contains(Requirement.MULTIPLE_EXPORTERS));

    SolvePlanException error = planFailure(options().push(true).load(true).tags(List.of("r.example/a:1")), SolvePlanBuilderProfile.buildkit("v0.12.5"));
    assertEquals(Optional.of(Requirement.MULTIPLE_EXPORTERS), error.requirement());
    assertTrue(error.getMessage().contains("needs BuildKit v0.13 or newer, but the builder runs v0.12.5"), error.getMessage());
  }

  @Test
  void inlineCache() throws Exception {
    SolvePlan plan = plan(options().cacheTo(List.of("type=inline")).push(true).tags(List.of("r.example/a")), BUILDKIT);
    assertEquals(List.of(new CacheEntry("inline", new TreeMap<>())), plan.cacheExports());

    SolvePlan fromBuildArg = plan(options().buildArgs(List.of("BUILDKIT_INLINE_CACHE=1")), ENGINE);
    assertEquals(List.of(new CacheEntry("inline", new TreeMap<>())), fromBuildArg.cacheExports());
    assertEquals("1", fromBuildArg.frontendAttributes().get("build-arg:BUILDKIT_INLINE_CACHE"));
  }

  @Test
  void cacheImportsAndExports() throws Exception {
    SolvePlan plan = plan(options()
        .cacheFrom(List.of("r.example/app:cache", "type=local,src=cache"))
        .cacheTo(List.of("type=registry,ref=r.example/app:cache,mode=max")), BUILDKIT);

    assertEquals(List.of(
            new CacheEntry("registry", new TreeMap<>(Map.of("ref", "r.example/app:cache"))),
            new CacheEntry("local", new TreeMap<>(Map.of("src", workingDirectory.resolve("cache").toString())))),
        plan.cacheImports());
    assertEquals(Optional.of(workingDirectory.resolve("cache")), plan.cacheImports().get(1).localStore(false));
    assertEquals(
        "[{\"Type\":\"registry\",\"Attrs\":{\"ref\":\"r.example/app:cache\"}},{\"Type\":\"local\",\"Attrs\":{\"src\":\""
            + workingDirectory.resolve("cache") + "\"}}]",
        plan.frontendAttributes().get("cache-imports"));
    assertEquals("max", plan.cacheExports().get(0).attributes().get("mode"));
  }

  @Test
  void toString_hidesCacheTokens() throws Exception {
    var builder = options()
        .environment(Map.of("ACTIONS_RUNTIME_TOKEN", "runtime-secret", "ACTIONS_CACHE_URL", "http://127.0.0.1:9/"))
        .cacheFrom(List.of("type=gha"));
    SolvePlan plan = plan(builder, BUILDKIT);
    assertTrue(plan.frontendAttributes().get("cache-imports").contains("runtime-secret"));
    assertFalse(plan.toString().contains("runtime-secret"), plan.toString());
  }

  @Test
  void cacheExportOnDockerEngineNeedsContainerd() throws Exception {
    SolvePlanException error = planFailure(options().cacheTo(List.of("type=registry,ref=r.example/a:cache")), ENGINE);
    assertTrue(error.getMessage().startsWith("--cache-to: a Docker Engine builder exports type=registry cache only with the containerd image store"),
        error.getMessage());
  }

  @Test
  void gitHubActionsCacheSkippedOnOldBuilders() throws Exception {
    var builder = options()
        .environment(Map.of("ACTIONS_RUNTIME_TOKEN", "t", "ACTIONS_CACHE_URL", "http://127.0.0.1:9/"))
        .cacheFrom(List.of("type=gha"));
    SolvePlan plan = plan(builder, SolvePlanBuilderProfile.buildkit("v0.8.3"));
    assertEquals(List.of(), plan.cacheImports());
    assertTrue(plan.warnings().get(0).contains("skipping type=gha"), plan.warnings().toString());
  }

  @Test
  void buildContexts() throws Exception {
    Path shared = Files.createDirectories(workingDirectory.resolve("shared"));
    Path other = Files.createDirectories(workingDirectory.resolve("other"));
    SolvePlan plan = plan(options().buildContexts(List.of(
        "shared=shared",
        "alpine=docker-image://alpine:3.20",
        "base=target:build",
        "context=other",
        "src=https://github.com/o/r.git?ref=main")), BUILDKIT);

    Map<String, String> attributes = plan.frontendAttributes();
    assertEquals("local:shared", attributes.get("context:shared"));
    assertEquals("shared", attributes.get("sharedkey:localdir:shared"));
    assertEquals("docker-image://alpine:3.20", attributes.get("context:alpine"));
    assertEquals("target:build", attributes.get("context:base"));
    assertEquals("local:_context", attributes.get("context:context"));
    assertEquals("https://github.com/o/r.git?ref=main", attributes.get("context:src"));
    assertEquals("moby.buildkit.frontend.contexts+forward,moby.buildkit.frontend.gitquerystring+forward", attributes.get("frontend.caps"));
    assertEquals(Map.of("context", context, "dockerfile", context, "shared", shared, "_context", other), plan.localDirs());
    assertTrue(plan.requirements().contains(Requirement.NAMED_CONTEXTS));
  }

  @Test
  void ociLayoutContext() throws Exception {
    Path layout = Files.createDirectories(workingDirectory.resolve("layout"));
    String digest = "sha256:" + "d".repeat(64);
    SolvePlan plan = plan(options().buildContexts(List.of("img=oci-layout://layout:v1@" + digest)), BUILDKIT);
    assertEquals(List.of(new SolvePlan.OciLayoutStore("ocilayout0", layout)), plan.ociLayouts());
    assertEquals("oci-layout://ocilayout0:v1@" + digest, plan.frontendAttributes().get("context:img"));
  }

  @Test
  void remoteGitContextOverSsh() throws Exception {
    SolvePlan plan = plan(options().context("git@github.com:o/r.git#main:sub"), BUILDKIT);
    assertEquals("git@github.com:o/r.git#main:sub", plan.frontendAttributes().get("context"));
    assertEquals("Dockerfile", plan.frontendAttributes().get("filename"));
    assertEquals(Map.of(), plan.localDirs());
    assertEquals(Optional.empty(), plan.sharedKey());
    assertEquals(List.of("default"), plan.ssh());

    SolvePlan explicit = plan(options().context("git@github.com:o/r.git").ssh(List.of("default=/run/agent.sock")), BUILDKIT);
    assertEquals(List.of("default=/run/agent.sock"), explicit.ssh());

    SolvePlan query = plan(options().context("https://github.com/o/r.git?ref=main"), BUILDKIT);
    assertEquals("moby.buildkit.frontend.gitquerystring", query.frontendAttributes().get("frontend.caps"));
  }

  @Test
  void dockerfileFromStdin() throws Exception {
    var builder = options().file("-").stdin(() -> new ByteArrayInputStream("FROM busybox\n".getBytes(StandardCharsets.UTF_8)));
    try (BuildOptions options = builder.build()) {
      SolvePlan plan = SolvePlanner.plan(options, BUILDKIT);
      assertEquals("dockerfile", plan.frontendAttributes().get("dockerfilekey"));
      assertEquals("Dockerfile", plan.frontendAttributes().get("filename"));
      Path directory = plan.localDirs().get("dockerfile");
      assertEquals("FROM busybox\n", Files.readString(directory.resolve("Dockerfile")));
      assertEquals(context, plan.localDirs().get("context"));
    }
  }

  @Test
  void runSettings() throws Exception {
    SolvePlan plan = plan(options()
        .pull(true)
        .noCacheFilter(List.of("build", "test"))
        .platforms(List.of("linux/amd64,linux/arm64", "linux/arm"))
        .network("host")
        .addHosts(List.of("db:10.0.0.5", "gw=host-gateway"))
        .shmSize("64m")
        .ulimits(List.of("nofile=1024:2048", "nproc=64"))
        .cgroupParent("/build")
        .allow(List.of("security.insecure")), ENGINE_CONTAINERD_WITH_GATEWAY);

    Map<String, String> attributes = plan.frontendAttributes();
    assertEquals("pull", attributes.get("image-resolve-mode"));
    assertEquals("build,test", attributes.get("no-cache"));
    assertEquals("linux/amd64,linux/arm64,linux/arm/v7", attributes.get("platform"));
    assertEquals("host", attributes.get("force-network-mode"));
    assertEquals("db=10.0.0.5,gw=172.17.0.1", attributes.get("add-hosts"));
    assertEquals("67108864", attributes.get("shm-size"));
    assertEquals("nofile=1024:2048,nproc=64:64", attributes.get("ulimit"));
    assertEquals("/build", attributes.get("cgroup-parent"));
    assertEquals(List.of("security.insecure", "network.host"), plan.entitlements());
    assertTrue(plan.requirements().containsAll(List.of(Requirement.ULIMIT, Requirement.CGROUP_PARENT)));
  }

  private static final SolvePlanBuilderProfile ENGINE_CONTAINERD_WITH_GATEWAY =
      SolvePlanBuilderProfile.dockerEngine("v0.20.2", true, Optional.of("172.17.0.1"));

  @Test
  void noCacheIsEmpty() throws Exception {
    assertEquals("", plan(options().noCache(true), BUILDKIT).frontendAttributes().get("no-cache"));
  }

  @Test
  void hostGatewayNeedsTheEngine() throws Exception {
    SolvePlanException error = planFailure(options().addHosts(List.of("gw=host-gateway")), BUILDKIT);
    assertTrue(error.getMessage().contains("works only with a Docker Engine builder"), error.getMessage());
  }

  @Test
  void severalPlatformsOnDockerEngineNeedContainerd() throws Exception {
    SolvePlanException error = planFailure(options().platforms(List.of("linux/amd64,linux/arm64")), ENGINE);
    assertTrue(error.getMessage().startsWith("--platform: "), error.getMessage());
  }

  @Test
  void attestations() throws Exception {
    SolvePlan plan = plan(options().attests(List.of("type=sbom")).provenance("mode=max").push(true).tags(List.of("r.example/a")), BUILDKIT);
    assertEquals("type=sbom", plan.frontendAttributes().get("attest:sbom"));
    assertEquals("type=provenance,mode=max", plan.frontendAttributes().get("attest:provenance"));

    SolvePlan disabled = plan(options().provenance("false"), BUILDKIT);
    assertFalse(disabled.frontendAttributes().containsKey("attest:provenance"));

    SolvePlan noDefault = plan(options().environment(Map.of("BUILDX_NO_DEFAULT_ATTESTATIONS", "1")), BUILDKIT);
    assertFalse(noDefault.frontendAttributes().containsKey("attest:provenance"));

    SolvePlan oldBuilder = plan(options(), SolvePlanBuilderProfile.buildkit("v0.10.6"));
    assertFalse(oldBuilder.frontendAttributes().containsKey("attest:provenance"));

    SolvePlanException error = planFailure(options().attests(List.of("type=sbom")), SolvePlanBuilderProfile.buildkit("v0.10.6"));
    assertEquals(Optional.of(Requirement.ATTESTATIONS), error.requirement());
    planFailure(options().attests(List.of("type=sbom")), ENGINE);
  }

  @Test
  void unknownVersionCountsAsNewEnough() throws Exception {
    SolvePlan plan = plan(options().push(true).load(true).tags(List.of("r.example/a")), SolvePlanBuilderProfile.buildkit(""));
    assertEquals(2, plan.exporters().size());
    assertTrue(plan.frontendAttributes().containsKey("attest:provenance"));
  }

  @Test
  void annotationsGoOnEveryExporter() throws Exception {
    SolvePlan plan = plan(options().annotations(List.of("org.opencontainers.image.title=hello", "manifest[linux/amd64]:x=y"))
        .outputs(List.of("type=local,dest=out")), BUILDKIT);
    assertEquals(Map.of("annotation.org.opencontainers.image.title", "hello", "annotation-manifest[linux/amd64].x", "y"),
        plan.exporters().get(0).attributes());

    SolvePlanException error = planFailure(options().annotations(List.of("index:x=y")).tags(List.of("a")), ENGINE);
    assertTrue(error.getMessage().startsWith("--annotation: "), error.getMessage());
  }

  @Test
  void syntaxBuildArgumentSwitchesToTheGateway() throws Exception {
    SolvePlan plan = plan(options().buildArgs(List.of("BUILDKIT_SYNTAX=docker/dockerfile:1.9 --flag")), BUILDKIT);
    assertEquals("gateway.v0", plan.frontend());
    assertEquals("docker/dockerfile:1.9", plan.frontendAttributes().get("source"));
    assertEquals("docker/dockerfile:1.9 --flag", plan.frontendAttributes().get("cmdline"));
    planFailure(options().buildArgs(List.of("BUILDKIT_SYNTAX= ")), BUILDKIT);
  }

  @Test
  void toSolveRequest_carriesThePlan() throws Exception {
    SolvePlan plan = plan(options()
        .push(true).load(true).tags(List.of("r.example/a:1"))
        .cacheFrom(List.of("r.example/a:cache")).cacheTo(List.of("type=inline"))
        .network("host"), BUILDKIT);
    var request = plan.toSolveRequest();

    assertEquals("dockerfile.v0", request.getFrontend());
    assertEquals(plan.frontendAttributes(), request.getFrontendAttrsMap());
    assertEquals(List.of("image", "docker"), request.getExportersList().stream().map(exporter -> exporter.getType()).toList());
    assertEquals(plan.exporters().get(1).attributes(), request.getExporters(1).getAttrsMap());
    assertEquals("image", request.getExporterDeprecated());
    assertEquals(plan.exporters().get(0).attributes(), request.getExporterAttrsDeprecatedMap());
    assertEquals("r.example/a:cache", request.getCache().getImports(0).getAttrsMap().get("ref"));
    assertEquals("inline", request.getCache().getExports(0).getType());
    assertEquals(List.of("network.host"), request.getEntitlementsList());
    assertEquals("", request.getSession());
  }

  @Test
  void secretsPassThroughAsWritten() throws Exception {
    SolvePlan plan = plan(options().secrets(List.of("id=npm,src=.npmrc", "id=token,env=TOKEN")), BUILDKIT);
    assertEquals(List.of("id=npm,src=.npmrc", "id=token,env=TOKEN"), plan.secrets());
  }
}
