package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.DepotBuild;
import dev.depotrunner.controlplane.registry.DepotRegistry;
import dev.depotrunner.controlplane.registry.RegistryTokenIssuer;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.PushService;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.registry.CopyResult;
import dev.depotrunner.registry.Credentials;
import dev.depotrunner.registry.ImageCopy;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.steps.registry.PushRequest;
import dev.depotrunner.steps.registry.PushStep;
import java.io.IOException;
import java.net.BindException;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depot build --save} on the control-plane double's builder: the image lands in the token
 * registry of scripts/local-env (the double's registry, with this test's token issuer), and {@code
 * depot push} copies it to the htpasswd registry.
 */
@Timeout(300)
class SaveIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String TOKEN = "save-it-token-" + Long.toHexString(System.nanoTime());
  private static final String PULL_USER = "save-it-pull";
  private static final String PULL_PASSWORD = "save-it-pull-password";
  private static final String MANIFEST_TYPES = String.join(",",
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json");

  private static ControlPlane depot;
  private static DepotRegistry depotRegistry;
  private static RegistryTokenIssuer issuer;
  private static HttpServer issuerServer;
  private static String project;

  @TempDir Path work;

  @BeforeAll
  static void startDepot() throws Exception {
    Map<String, String> environment = LocalEngine.environment();
    project = "save-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    depot = ControlPlane.start(BuilderEndpoint.parse("docker://" + environment.get("DOCKER_HOST"), Map.of()));
    depot.addToken(TOKEN);
    depot.addProject(project, "save");
    depotRegistry = DepotRegistry.serve(depot, TOKEN, PULL_USER, PULL_PASSWORD);
    depotRegistry.saveBuildsIn(variable("DEPOT_RUNNER_TOKEN_REGISTRY"));

    issuer = RegistryTokenIssuer.fromLocalEnv(environment, depotRegistry::acceptsCredentials, depotRegistry::allows);
    issuerServer = serveIssuer(issuer);
  }

  /**
   * Serves the issuer on the realm address of scripts/local-env, waiting while another test holds
   * that fixed port.
   */
  private static HttpServer serveIssuer(RegistryTokenIssuer issuer) throws Exception {
    String[] address = variable("DEPOT_RUNNER_TOKEN_ISSUER_ADDR").split(":");
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (true) {
      try {
        return issuer.serve(new InetSocketAddress(address[0], Integer.parseInt(address[1])));
      } catch (BindException e) {
        if (Instant.now().isAfter(deadline)) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
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

  @AfterEach
  void validCredentials() {
    depotRegistry.returnWrongSaveCredentials(false);
  }

  @Test
  void saveThenPushKeepsDigest() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo saved-" + System.nanoTime() + " > /saved\n");
    Path metadataFile = work.resolve("metadata.json");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", project, "--progress=plain",
        "--save", "--save-tag", "v1", "--metadata-file", metadataFile.toString(), context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    DepotBuild build = onlyNewBuild(buildsBefore);
    assertTrue(build.request().getOptions(0).getSave());
    assertEquals(List.of("v1"), build.request().getOptions(0).getSaveTagsList());
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
    assertTrue(run.stderr().contains("To pull: depot pull --project " + project + " " + build.id()), run.stderr());
    assertTrue(run.stderr().contains("docker pull " + savedTag("v1")), run.stderr());
    assertTrue(run.stderr().contains("To push: depot push --project " + project + " --tag <REPOSITORY:TAG> "
        + build.id()), run.stderr());

    String digest = JSON.readTree(metadataFile.toFile()).get("containerimage.digest").asText();
    assertEquals(digest, savedDigest(build.id()));
    assertEquals(digest, savedDigest("v1"));

    String target = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + project + "/app:v1";
    var push = LocalEngine.depot(work, pushEnvironment(), "push", build.id(), "-t", target, "--progress", "plain");

    assertEquals(0, push.exitCode(), push.stderr());
    assertEquals(digest, pushedDigest(project + "/app", "v1"));
  }

  @Test
  void pullBySavedTag() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo tagged-" + System.nanoTime() + " > /tagged\n");
    String saveTag = "pull-" + Long.toHexString(System.nanoTime());
    String localName = "save-it/pulled:" + saveTag;

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", project, "--progress=plain",
        "--save", "--save-tag", saveTag, context.toString());
    assertEquals(0, run.exitCode(), run.stderr());

    Map<String, String> environment = new java.util.HashMap<>(depotEnvironment());
    environment.put("DEPOT_REGISTRY_HOST", variable("DEPOT_RUNNER_TOKEN_REGISTRY"));
    var pull = LocalEngine.depot(work, environment, "pull", project + ":" + saveTag, "-t", localName,
        "--progress", "plain");

    assertEquals(0, pull.exitCode(), pull.stderr());
    assertEquals(200, LocalEngine.engineImageStatus(localName));
  }

  @Test
  void multiPlatformSaveKeepsAttestations() throws Exception {
    Path context = context("FROM scratch\nCOPY greeting /greeting\n");
    Files.writeString(context.resolve("greeting"), "saved " + System.nanoTime() + "\n");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", project, "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "--save", "--save-tag", "multi", context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    DepotBuild build = onlyNewBuild(buildsBefore);
    JsonNode index = JSON.readTree(savedManifest(build.id()).body());
    List<String> platforms = new ArrayList<>();
    int attestations = 0;
    for (JsonNode manifest : index.path("manifests")) {
      String referenceType = manifest.path("annotations").path("vnd.docker.reference.type").asText();
      if (referenceType.equals("attestation-manifest")) {
        attestations++;
      } else {
        platforms.add(manifest.path("platform").path("os").asText() + "/"
            + manifest.path("platform").path("architecture").asText());
      }
    }
    assertEquals(List.of("linux/amd64", "linux/arm64"), platforms.stream().sorted().toList(), index.toString());
    assertEquals(2, attestations, index.toString());

    String digest = savedDigest(build.id());
    assertEquals(digest, savedDigest("multi"));
    String target = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + project + "/multi:v1";
    var push = LocalEngine.depot(work, pushEnvironment(), "push", build.id(), "-t", target, "--progress", "plain");
    assertEquals(0, push.exitCode(), push.stderr());
    assertEquals(digest, pushedDigest(project + "/multi", "v1"));

    List<CopyResult> second = pushAgain(build.id(), target);
    assertEquals(1, second.size());
    assertEquals(digest, second.get(0).digest());
    assertEquals(0, second.get(0).blobsUploaded(), second.get(0).toString());
    assertEquals(0, second.get(0).bytesUploaded(), second.get(0).toString());
  }

  @Test
  void bakeSaveTagsEachTarget() throws Exception {
    for (String target : List.of("api", "web")) {
      Files.createDirectories(work.resolve(target));
      Files.writeString(work.resolve(target).resolve("Dockerfile"), "FROM scratch\nCOPY greeting /greeting\n");
      Files.writeString(work.resolve(target).resolve("greeting"), target + " " + System.nanoTime() + "\n");
    }
    Files.writeString(work.resolve("docker-bake.hcl"), """
        group "default" {
          targets = ["api", "web"]
        }
        target "api" {
          context = "api"
        }
        target "web" {
          context = "web"
        }
        """);
    Path metadataFile = work.resolve("bake-metadata.json");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.bake(work, depotEnvironment(), "--project", project, "--progress=plain", "--save",
        "--save-tag", "bake", "--metadata-file", metadataFile.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    DepotBuild build = onlyNewBuild(buildsBefore);
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
    assertTrue(run.stderr().contains("Saved targets: api,web"), run.stderr());
    JsonNode metadata = JSON.readTree(metadataFile.toFile());
    for (String target : List.of("api", "web")) {
      String digest = metadata.path(target).path("containerimage.digest").asText();
      assertEquals(digest, savedDigest(build.id() + "-" + target), target);
      assertEquals(digest, savedDigest("bake-" + target), target);
      assertTrue(run.stderr().contains("docker pull " + savedTag("bake-" + target)), run.stderr());
    }

    String pushed = variable("DEPOT_RUNNER_AUTH_REGISTRY") + "/" + project + "/web:v1";
    var push = LocalEngine.depot(work, pushEnvironment(), "push", build.id(), "--target", "web", "-t", pushed,
        "--progress", "plain");
    assertEquals(0, push.exitCode(), push.stderr());
    assertEquals(metadata.path("web").path("containerimage.digest").asText(), pushedDigest(project + "/web", "v1"));

    var ambiguous = LocalEngine.depot(work, pushEnvironment(), "push", build.id(), "-t", pushed, "--progress", "plain");
    assertEquals(1, ambiguous.exitCode(), ambiguous.stderr());
    assertTrue(ambiguous.stderr().contains("api, web"), ambiguous.stderr());
  }

  @Test
  void wrongSaveCredentialsFailInOneLine() throws Exception {
    Path context = context("FROM scratch\nCOPY greeting /greeting\n");
    Files.writeString(context.resolve("greeting"), "denied " + System.nanoTime() + "\n");
    depotRegistry.returnWrongSaveCredentials(true);
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", project, "--progress=quiet",
        "--save", context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    assertTrue(run.stderr().contains("registry " + variable("DEPOT_RUNNER_TOKEN_REGISTRY")), run.stderr());
    assertFalse(run.stderr().contains("wrong-"), run.stderr());
    FinishBuildRequest result = onlyNewBuild(buildsBefore).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.ERROR, result.getResultCase());
  }

  private Path context(String dockerfile) throws IOException {
    Path context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return context;
  }

  private static Map<String, String> depotEnvironment() {
    return Map.of("DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN);
  }

  private static Map<String, String> pushEnvironment() {
    return Map.of("DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN,
        "DEPOT_PUSH_REGISTRY_USERNAME", variable("DEPOT_RUNNER_AUTH_REGISTRY_USER"),
        "DEPOT_PUSH_REGISTRY_PASSWORD", authPassword());
  }

  private static DepotBuild onlyNewBuild(int buildsBefore) {
    List<DepotBuild> builds = depot.builds();
    assertEquals(buildsBefore + 1, builds.size(), builds.toString());
    return builds.get(builds.size() - 1);
  }

  /** Pushes the build once more with the push step, which returns what the copy transferred. */
  private static List<CopyResult> pushAgain(String buildId, String target) throws Exception {
    ConnectClient client = ConnectClient.create(depot.url(), "save-it");
    PushStep step = new PushStep(new BuildService(client), new PushService(client),
        ImageCopy.builder().credentials(Credentials.fromEnvironment(pushEnvironment())), event -> {});
    return step.run(new PushRequest(buildId, List.of(ImageName.parse(target)), Optional.empty(), ApiToken.of(TOKEN)));
  }

  private static String savedTag(String tag) {
    return variable("DEPOT_RUNNER_TOKEN_REGISTRY") + "/" + project + ":" + tag;
  }

  /** Reads a saved manifest from the token registry with a pull token signed by this test's issuer. */
  private static HttpResponse<byte[]> savedManifest(String tag) throws Exception {
    String token = issuer.issue("save-it",
        List.of(Map.of("type", "repository", "name", project, "actions", List.of("pull"))));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + variable("DEPOT_RUNNER_TOKEN_REGISTRY")
            + "/v2/" + project + "/manifests/" + tag))
        .header("Accept", MANIFEST_TYPES)
        .header("Authorization", "Bearer " + token)
        .build();
    HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    return response;
  }

  private static String savedDigest(String tag) throws Exception {
    return savedManifest(tag).headers().firstValue("Docker-Content-Digest").orElse("");
  }

  private static String pushedDigest(String repository, String tag) throws Exception {
    String credentials = variable("DEPOT_RUNNER_AUTH_REGISTRY_USER") + ":" + authPassword();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + variable("DEPOT_RUNNER_AUTH_REGISTRY")
            + "/v2/" + repository + "/manifests/" + tag))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .header("Accept", MANIFEST_TYPES)
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
        .build();
    HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
    assertEquals(200, response.statusCode());
    return response.headers().firstValue("Docker-Content-Digest").orElse("");
  }

  private static String authPassword() {
    try {
      return Files.readString(Path.of(variable("DEPOT_RUNNER_AUTH_REGISTRY_PASSWORD_FILE")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the auth registry password", e);
    }
  }

  private static String variable(String name) {
    String value = LocalEngine.environment().get(name);
    if (value == null || value.isEmpty()) {
      fail(name + " is not set: run `eval \"$(scripts/local-env env)\"` first");
    }
    return value;
  }
}
