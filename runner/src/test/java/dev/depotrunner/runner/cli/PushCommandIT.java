package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.registry.DepotRegistry;
import dev.depotrunner.controlplane.registry.RegistryTokenIssuer;
import dev.depotrunner.registry.CopyResult;
import dev.depotrunner.registry.Credentials;
import dev.depotrunner.registry.ImageCopy;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.runner.HostEnvironment;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.build.BuildRunner;
import dev.depotrunner.runner.progress.TerminalEmulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
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
 * Runs {@code depot push} in process against the control-plane double, whose registry is the
 * token registry of scripts/local-env, pushing to the Basic auth registry.
 */
class PushCommandIT {

  private static final String USER_TOKEN = "push-it-user-token";
  private static final String PULL_USER = "x-token";
  private static final String PULL_PASSWORD = "push-it-pull-password";
  private static final String BUILD_ID = "build-push-it";
  private static final String BAKE_ID = "build-push-it-bake";

  private static ControlPlane depot;
  private static DepotRegistry depotRegistry;
  private static HttpServer issuerServer;
  private static String prefix;
  private static CopyResult seeded;
  private static final Map<String, String> targetDigests = new LinkedHashMap<>();

  @BeforeAll
  static void startDepot() throws Exception {
    prefix = "registry/push-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(USER_TOKEN);
    depotRegistry = DepotRegistry.serve(depot, USER_TOKEN, PULL_USER, PULL_PASSWORD);

    RegistryTokenIssuer issuer = RegistryTokenIssuer.fromLocalEnv(System.getenv(),
        (user, password) -> user.equals(PULL_USER) && password.equals(PULL_PASSWORD));
    String[] issuerAddress = variable("DEPOT_RUNNER_TOKEN_ISSUER_ADDR").split(":");
    issuerServer = issuer.serve(
        new InetSocketAddress(issuerAddress[0], Integer.parseInt(issuerAddress[1])));

    // The build's image in the double's registry: the local base image, copied there.
    String buildImage = variable("DEPOT_RUNNER_TOKEN_REGISTRY") + "/" + prefix + "/build:" + BUILD_ID;
    ImageCopy copy = ImageCopy.builder()
        .credentials(Credentials.fromEnvironment(Map.of(
            "DEPOT_PUSH_REGISTRY_USERNAME", PULL_USER,
            "DEPOT_PUSH_REGISTRY_PASSWORD", PULL_PASSWORD)))
        .build();
    seeded = copy.copy(ImageName.parse(variable("DEPOT_RUNNER_BASE_IMAGE")), Optional.empty(),
        List.of(ImageName.parse(buildImage)));
    depotRegistry.addBuildImage(BUILD_ID, buildImage);

    // A bake build of two targets, each image a variant of the base image with its own digest.
    String bakeImage = variable("DEPOT_RUNNER_TOKEN_REGISTRY") + "/" + prefix + "/build:" + BAKE_ID;
    VariantImages variants = new VariantImages(variable("DEPOT_RUNNER_BASE_IMAGE"));
    Map<String, List<String>> bakeTags = new LinkedHashMap<>();
    for (String target : List.of("web", "api")) {
      VariantImages.Variant variant = variants.write(prefix + "/variants", target, 4096);
      CopyResult copied = copy.copy(ImageName.parse(variant.reference()), Optional.empty(),
          List.of(ImageName.parse(bakeImage + "-" + target)));
      targetDigests.put(target, copied.digest());
      bakeTags.put(target, List.of());
    }
    depotRegistry.addBakeBuild(BAKE_ID, bakeImage, bakeTags);
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
  void pushKeepsDigest() throws Exception {
    String tag = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + prefix + "/app:v1";

    Run run = depot(Map.of(), "push", BUILD_ID, "-t", tag, "--progress", "plain");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("[depot] Pushing build " + BUILD_ID + " as " + tag), run.stderr());
    assertTrue(run.stderr().contains("[depot] Pushed " + tag + "@" + seeded.digest()), run.stderr());
    assertEquals(seeded.digest(), targetDigest(prefix + "/app", "v1"));
    assertEquals(1, depotRegistry.startedPushes().stream()
        .filter(push -> push.getTag().equals(tag)).count());
    assertTrue(depotRegistry.finishedPushes().stream()
        .anyMatch(push -> push.getBuildId().equals(BUILD_ID) && !push.hasError()));
  }

  @Test
  void ttyPushRewritesBlobLines() throws Exception {
    String tag = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + prefix + "/tty:v1";

    Run run = depot(Map.of("COLUMNS", "100", "LINES", "30"), "push", BUILD_ID, "-t", tag, "--progress", "tty");

    assertEquals(0, run.exitCode(), run.stderr());
    TerminalEmulator terminal = new TerminalEmulator(100, 30);
    terminal.write(run.stderr());
    List<String> screen = terminal.screen();
    assertTrue(run.stderr().contains("\u001b[2K"), "no line was rewritten: " + run.stderr());
    assertTrue(screen.contains("[depot] Pushing build " + BUILD_ID + " as " + tag), terminal.transcript());
    assertEquals(2, screen.stream().filter(line -> line.matches("[0-9a-f]{12}: Pushed [0-9.]+[kMG]?B")).count(),
        terminal.transcript());
    assertEquals(seeded.digest(), targetDigest(prefix + "/tty", "v1"));
  }

  @Test
  void quietPushPrintsNothing() throws Exception {
    String tag = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + prefix + "/quiet:v1";

    Run run = depot(Map.of(), "push", BUILD_ID, "-t", tag, "--progress", "quiet");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("", run.stderr());
    assertEquals(seeded.digest(), targetDigest(prefix + "/quiet", "v1"));
  }

  @Test
  void wrongRegistryPasswordFailsInOneLine() {
    String tag = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + prefix + "/denied:v1";

    Run run = depot(Map.of("DEPOT_PUSH_REGISTRY_PASSWORD", "wrong-password"),
        "push", BUILD_ID, "-t", tag, "--progress", "quiet");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    assertTrue(run.stderr().contains(variable("DEPOT_RUNNER_AUTH_REGISTRY")), run.stderr());
    assertFalse(run.stderr().contains("wrong-password"), run.stderr());
    assertTrue(depotRegistry.finishedPushes().stream().anyMatch(push -> push.hasError()));
  }

  @Test
  void unknownBuildFails() {
    Run run = depot(Map.of(), "push", "build-unknown", "-t",
        variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + prefix + "/none:v1");

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("build-unknown"), run.stderr());
  }

  @Test
  void missingTagIsUsageError() {
    Run run = depot(Map.of(), "push", BUILD_ID);

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("missing tag"), run.stderr());
  }

  @Test
  void bakePushOfTargetKeepsDigest() throws Exception {
    String tag = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + prefix + "/bake:api";

    Run run = depot(Map.of(), "push", BAKE_ID, "--target", "api", "-t", tag, "--progress", "plain");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("[depot] Pushing build " + BAKE_ID + " of target api as " + tag), run.stderr());
    assertEquals(targetDigests.get("api"), targetDigest(prefix + "/bake", "api"));
  }

  @Test
  void bakePushWithoutTargetListsTargets() {
    String tag = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + prefix + "/bake:none";

    Run run = depot(Map.of(), "push", BAKE_ID, "-t", tag);

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    assertTrue(run.stderr().contains("several bake targets (web, api)"), run.stderr());
    assertTrue(run.stderr().contains("--target"), run.stderr());
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run depot(Map<String, String> extra, String... args) {
    Map<String, String> environment = HostEnvironment.withoutCi();
    environment.put("DEPOT_API_URL", depot.url().toString());
    environment.put("DEPOT_TOKEN", USER_TOKEN);
    environment.put("DEPOT_PUSH_REGISTRY_USERNAME", variable("DEPOT_RUNNER_AUTH_REGISTRY_USER"));
    environment.put("DEPOT_PUSH_REGISTRY_PASSWORD", authPassword());
    environment.putAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(environment, Path.of("").toAbsolutePath(),
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String targetDigest(String repository, String tag) throws Exception {
    String credentials = variable("DEPOT_RUNNER_AUTH_REGISTRY_USER") + ":" + authPassword();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://"
            + variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/v2/" + repository + "/manifests/" + tag))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .header("Accept", "application/vnd.oci.image.index.v1+json, "
            + "application/vnd.oci.image.manifest.v1+json, "
            + "application/vnd.docker.distribution.manifest.list.v2+json, "
            + "application/vnd.docker.distribution.manifest.v2+json")
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
        .build();
    HttpResponse<Void> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
    assertEquals(200, response.statusCode());
    return response.headers().firstValue("Docker-Content-Digest").orElse("");
  }

  private static String authPassword() {
    try {
      return Files.readString(Path.of(variable("DEPOT_RUNNER_AUTH_REGISTRY_PASSWORD_FILE")));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read the auth registry password", e);
    }
  }

  private static String variable(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      fail(name + " is not set: run `eval \"$(scripts/local-env env)\"` first");
    }
    return value;
  }
}
