package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.registry.DepotRegistry;
import dev.depotrunner.controlplane.registry.RegistryTokenIssuer;
import dev.depotrunner.engine.DockerEngineClient;
import dev.depotrunner.engine.ImageDetails;
import dev.depotrunner.registry.CopyResult;
import dev.depotrunner.registry.Credentials;
import dev.depotrunner.registry.ImageCopy;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.runner.HostEnvironment;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.build.BuildRunner;
import dev.depotrunner.runner.progress.TerminalEmulator;
import dev.depotrunner.steps.build.DockerHost;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code depot pull} in process against the control-plane double, whose registry is the
 * token registry of scripts/local-env, and checks the image in the {@code DOCKER_HOST} engine.
 */
class PullCommandIT {

  private static final String USER_TOKEN = "pull-it-user-token";
  private static final String PULL_USER = "x-token";
  private static final String PULL_PASSWORD = "pull-it-pull-password";
  private static final String BUILD_ID = "build-pull-it";
  private static final String BAKE_ID = "build-pull-it-bake";
  private static final String TTY_ID = "build-pull-it-tty";

  private static ControlPlane depot;
  private static HttpServer issuerServer;
  private static String prefix;
  private static String buildImage;
  private static CopyResult seeded;
  private static DockerEngineClient engine;
  private static String bakeImage;
  private static String ttyImage;
  private static String ttyLayer;
  private static final Map<String, String> targetDigests = new LinkedHashMap<>();

  @BeforeAll
  static void startDepot() throws Exception {
    prefix = "registry2/pull-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(USER_TOKEN);
    DepotRegistry depotRegistry = DepotRegistry.serve(depot, USER_TOKEN, PULL_USER, PULL_PASSWORD);

    RegistryTokenIssuer issuer = RegistryTokenIssuer.fromLocalEnv(System.getenv(),
        (user, password) -> user.equals(PULL_USER) && password.equals(PULL_PASSWORD));
    String[] issuerAddress = variable("DEPOT_RUNNER_TOKEN_ISSUER_ADDR").split(":");
    issuerServer = issuer.serve(
        new InetSocketAddress(issuerAddress[0], Integer.parseInt(issuerAddress[1])));

    // The build's image in the double's registry: the local base image, copied there.
    buildImage = variable("DEPOT_RUNNER_TOKEN_REGISTRY") + "/" + prefix + "/build:" + BUILD_ID;
    ImageCopy copy = ImageCopy.builder()
        .credentials(Credentials.fromEnvironment(Map.of(
            "DEPOT_PUSH_REGISTRY_USERNAME", PULL_USER,
            "DEPOT_PUSH_REGISTRY_PASSWORD", PULL_PASSWORD)))
        .build();
    seeded = copy.copy(ImageName.parse(variable("DEPOT_RUNNER_BASE_IMAGE")), Optional.empty(),
        List.of(ImageName.parse(buildImage)));
    depotRegistry.addBuildImage(BUILD_ID, buildImage);

    // A bake build of two targets, each image a variant of the base image with its own digest.
    bakeImage = variable("DEPOT_RUNNER_TOKEN_REGISTRY") + "/" + prefix + "/build:" + BAKE_ID;
    VariantImages variants = new VariantImages(variable("DEPOT_RUNNER_BASE_IMAGE"));
    for (String target : List.of("web", "api")) {
      VariantImages.Variant variant = variants.write(prefix + "/variants", target, 4096);
      CopyResult copied = copy.copy(ImageName.parse(variant.reference()), Optional.empty(),
          List.of(ImageName.parse(bakeImage + "-" + target)));
      targetDigests.put(target, copied.digest());
    }
    Map<String, List<String>> bakeTags = new LinkedHashMap<>();
    bakeTags.put("web", List.of(prefix + "/web:own"));
    bakeTags.put("api", List.of());
    depotRegistry.addBakeBuild(BAKE_ID, bakeImage, bakeTags);

    // A build with a layer of its own, so the engine downloads it and reports its progress.
    ttyImage = variable("DEPOT_RUNNER_TOKEN_REGISTRY") + "/" + prefix + "/build:" + TTY_ID;
    VariantImages.Variant ttyVariant = variants.write(prefix + "/variants", "tty", 3_000_000);
    copy.copy(ImageName.parse(ttyVariant.reference()), Optional.empty(), List.of(ImageName.parse(ttyImage)));
    ttyLayer = ttyVariant.layerDigest();
    depotRegistry.addBuildImage(TTY_ID, ttyImage);
    engine = DockerHost.client(System.getenv());
  }

  @AfterAll
  static void stopDepot() {
    if (issuerServer != null) {
      issuerServer.stop(0);
    }
    if (depot != null) {
      depot.close();
    }
  }

  @Test
  void pullTagsImageInEngine() throws Exception {
    String tag = prefix + "/app:v1";

    Run run = depot("pull", BUILD_ID, "-t", tag, "--progress", "plain");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("[depot] Pulling build " + BUILD_ID + " from " + buildImage), run.stderr());
    assertTrue(run.stderr().contains("[depot] Tagged " + tag), run.stderr());
    assertFalse(run.stderr().contains(PULL_PASSWORD), run.stderr());
    Optional<ImageDetails> tagged = engine.inspectImage(tag);
    assertTrue(tagged.isPresent(), "no image " + tag + " in the engine");
    assertTrue(tagged.get().repoTags().contains(tag), tagged.get().toString());
    assertTrue(tagged.get().repoDigests().stream().anyMatch(digest -> digest.endsWith("@" + seeded.digest())),
        tagged.get().toString());
    assertTrue(engine.inspectImage(buildImage).isPresent(), "no image " + buildImage + " in the engine");
  }

  @Test
  void ttyPullRewritesLayerLine() throws Exception {
    String tag = prefix + "/tty:v1";

    Run run = depot(Map.of("COLUMNS", "200", "LINES", "30"), "pull", TTY_ID, "-t", tag, "--progress", "tty");

    assertEquals(0, run.exitCode(), run.stderr());
    TerminalEmulator terminal = new TerminalEmulator(200, 30);
    terminal.write(run.stderr());
    List<String> screen = terminal.screen();
    String layer = ttyLayer.substring("sha256:".length(), "sha256:".length() + 12);
    assertTrue(run.stderr().contains("\u001b[2K" + layer + ": "), "the layer's line was not rewritten: " + run.stderr());
    assertTrue(screen.contains("[depot] Pulling build " + TTY_ID + " from " + ttyImage), terminal.transcript());
    assertTrue(screen.contains(layer + ": Pull complete"), terminal.transcript());
    assertTrue(screen.contains("[depot] Tagged " + tag), terminal.transcript());
    assertEquals(0, terminal.wraps(), terminal.transcript());
  }

  @Test
  void quietPullPrintsNothing() throws Exception {
    String tag = prefix + "/quiet:v2";

    Run run = depot("pull", BUILD_ID, "--tag", tag, "--progress", "quiet");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stderr());
    assertTrue(engine.inspectImage(tag).isPresent(), "no image " + tag + " in the engine");
  }

  @Test
  void unknownBuildFailsInOneLine() {
    Run run = depot("pull", "build-unknown", "-t", prefix + "/none:v1");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    assertTrue(run.stderr().contains("build-unknown"), run.stderr());
  }

  @Test
  void invalidTagIsUsageError() {
    Run run = depot("pull", BUILD_ID, "-t", "Upper/Case:v1");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("invalid --tag"), run.stderr());
  }

  @Test
  void bakePullTagsEveryTarget() throws Exception {
    String tag = prefix + "/bake:v1";

    Run run = depot("pull", BAKE_ID, "-t", tag, "--progress", "plain");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("[depot] Pulling build " + BAKE_ID + " target web from " + bakeImage + "-web"),
        run.stderr());
    assertTrue(run.stderr().contains("[depot] Pulling build " + BAKE_ID + " target api from " + bakeImage + "-api"),
        run.stderr());
    assertImage(tag + "-web", targetDigests.get("web"));
    assertImage(tag + "-api", targetDigests.get("api"));
  }

  @Test
  void bakePullWithoutTagsUsesTargetTags() throws Exception {
    Run run = depot("pull", BAKE_ID, "--progress", "plain");

    assertEquals(0, run.exitCode(), run.stderr());
    assertImage(prefix + "/web:own", targetDigests.get("web"));
    assertTrue(engine.inspectImage(bakeImage + "-api").isPresent(), "no image " + bakeImage + "-api in the engine");
  }

  @Test
  void bakePullOfOneTargetKeepsTag() throws Exception {
    String tag = prefix + "/one:v1";

    Run run = depot("pull", BAKE_ID, "--target", "api", "-t", tag, "--progress", "quiet");

    assertEquals(0, run.exitCode(), run.stderr());
    assertImage(tag, targetDigests.get("api"));
    assertTrue(engine.inspectImage(tag + "-api").isEmpty(), "a single target's tag gets no suffix");
  }

  @Test
  void bakePullOfUnknownTargetFails() {
    Run run = depot("pull", BAKE_ID, "--target", "db", "-t", prefix + "/none:v1");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    assertTrue(run.stderr().contains("target db not found"), run.stderr());
    assertTrue(run.stderr().contains("web, api"), run.stderr());
  }

  private static void assertImage(String tag, String digest) throws Exception {
    Optional<ImageDetails> image = engine.inspectImage(tag);
    assertTrue(image.isPresent(), "no image " + tag + " in the engine");
    assertTrue(image.get().repoTags().contains(tag), image.get().toString());
    assertTrue(image.get().repoDigests().stream().anyMatch(repoDigest -> repoDigest.endsWith("@" + digest)),
        tag + " is not " + digest + ": " + image.get());
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run depot(String... args) {
    return depot(Map.of(), args);
  }

  private static Run depot(Map<String, String> extra, String... args) {
    Map<String, String> environment = HostEnvironment.withoutCi();
    environment.putAll(extra);
    environment.put("DEPOT_API_URL", depot.url().toString());
    environment.put("DEPOT_TOKEN", USER_TOKEN);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(environment, Path.of("").toAbsolutePath(),
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String variable(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      fail(name + " is not set: run `eval \"$(scripts/local-env env)\"` first");
    }
    return value;
  }
}
