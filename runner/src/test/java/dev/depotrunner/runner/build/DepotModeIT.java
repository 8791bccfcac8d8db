package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.DepotBuild;
import dev.depotrunner.controlplane.RecordedCall;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depot build} in Depot mode: the control plane double serves the API on loopback and hands out its
 * mTLS builder, which forwards to the local Docker Engine 28 from scripts/local-env.
 */
@Timeout(300)
class DepotModeIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "depot-it-token-" + Long.toHexString(System.nanoTime());
  private static final String PROJECT = "depotapi-project";

  private static ControlPlane depot;

  @TempDir Path work;

  @BeforeAll
  static void startControlPlane() throws IOException {
    depot = LocalEngine.startDepot(TOKEN, PROJECT);
  }

  @AfterAll
  static void stopControlPlane() {
    depot.close();
  }

  @AfterEach
  void resetControlPlane() {
    depot.pendingPolls(0, Duration.ofMillis(200));
    depot.cancelBuildsAt(null);
    depot.clearFailures();
    depot.requestGzip(false);
  }

  private Map<String, String> depotEnvironment(String token) {
    return Map.of("DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", token, "CI", "true");
  }

  private Path context(String dockerfile) throws IOException {
    Path context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return context;
  }

  private static String uniqueRepository(String name) {
    return "depotapi/" + name + "-" + Long.toHexString(System.nanoTime());
  }

  private static DepotBuild onlyNewBuild(int buildsBefore) {
    List<DepotBuild> builds = depot.builds();
    assertEquals(buildsBefore + 1, builds.size(), builds.toString());
    return builds.get(builds.size() - 1);
  }

  private static RecordedCall createCallOf(DepotBuild build) {
    return depot.calls(BuildService.CREATE_BUILD).stream()
        .filter(call -> call.request().equals(build.request()) && !call.failed())
        .reduce((first, second) -> second)
        .orElseThrow();
  }

  @Test
  void build_pushesAndFinishesWithSuccess() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo depot-mode > /greeting\n");
    String repository = uniqueRepository("success");
    String image = LocalEngine.registry() + "/" + repository + ":1";
    Path metadataFile = work.resolve("metadata.json");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--project", PROJECT, "--progress=plain",
        "-t", image, "--push", "--metadata-file", metadataFile.toString(), context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    DepotBuild build = onlyNewBuild(buildsBefore);
    assertEquals(PROJECT, build.projectId());
    assertTrue(build.request().getOptions(0).getPush());
    assertEquals(List.of(image), build.request().getOptions(0).getTagsList());
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
    assertTrue(build.healthReports() >= 1, "health reports: " + build.healthReports());
    assertTrue(run.stderr().contains("Build: " + build.url()), run.stderr());

    RecordedCall create = createCallOf(build);
    assertEquals("Bearer " + TOKEN, create.authorization().orElseThrow());
    assertTrue(create.context().header("User-Agent").orElseThrow().matches("depot-runner/[^/]+/linux/[^/]+/ci"),
        create.context().header("User-Agent").orElseThrow());
    for (RecordedCall call : depot.calls()) {
      if (call.request() instanceof GetBuildKitConnectionRequest request && request.getBuildId().equals(build.id())) {
        assertEquals("Bearer " + build.token(), call.authorization().orElseThrow());
        assertEquals(BuilderPlatform.BUILDER_PLATFORM_AMD64, request.getPlatform());
      }
      if (call.request() instanceof FinishBuildRequest request && request.getBuildId().equals(build.id())) {
        assertEquals("Bearer " + build.token(), call.authorization().orElseThrow());
      }
    }

    JsonNode metadata = JSON.readTree(metadataFile.toFile());
    String digest = metadata.get("containerimage.digest").asText();
    assertEquals(build.id(), metadata.path("depot.build").path("buildID").asText());
    assertEquals(build.projectId(), metadata.path("depot.build").path("projectID").asText());
    var manifest = LocalEngine.registryManifest(repository, "1");
    assertEquals(200, manifest.statusCode());
    assertEquals(digest, manifest.headers().firstValue("Docker-Content-Digest").orElse(""));
    assertTrue(depot.forwardedBuilderCalls() > 0);
  }

  @Test
  void gzipRequested_compressesBuilderCalls() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nCOPY . /context\nRUN echo gzip-" + System.nanoTime() + "\n");
    Files.writeString(context.resolve("payload.txt"), "compressible ".repeat(10_000));
    depot.requestGzip(true);
    long gzipBefore = depot.gzipBuilderCalls();
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--project", PROJECT, "--progress=plain",
        context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS,
        onlyNewBuild(buildsBefore).awaitResult(Duration.ofSeconds(5)).getResultCase());
    assertTrue(depot.gzipBuilderCalls() > gzipBefore, "no builder call was gzip-compressed");
  }

  @Test
  void failingRun_finishesWithError() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo broken && exit 3\n");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--project", PROJECT, "--progress=plain",
        context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    FinishBuildRequest result = onlyNewBuild(buildsBefore).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.ERROR, result.getResultCase());
    assertTrue(result.getError().getError().contains("exit code: 3"), result.getError().getError());
    assertTrue(run.stderr().contains("exit code: 3"), run.stderr());
  }

  @Test
  void cancelFromDepot_finishesAsCanceled() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo " + System.nanoTime() + " && sleep 120\n");
    int buildsBefore = depot.builds().size();
    depot.cancelBuildsAt(Instant.now());
    Instant start = Instant.now();

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--project", PROJECT, "--progress=plain",
        context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(Duration.between(start, Instant.now()).toSeconds() < 60, "the build was not cancelled in time");
    FinishBuildRequest result = onlyNewBuild(buildsBefore).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.CANCELED, result.getResultCase());
  }

  @Test
  void sigterm_finishesAsCanceled() throws Exception {
    String marker = "sigterm-" + System.nanoTime();
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo " + marker + " && sleep 120\n");
    Path log = work.resolve("depot.log");
    int buildsBefore = depot.builds().size();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    var command = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        "dev.depotrunner.runner.Main", "build", "--project", PROJECT, "--progress=plain", context.toString())
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    command.environment().putAll(LocalEngine.environment());
    command.environment().remove("BUILDKIT_HOST");
    command.environment().putAll(depotEnvironment(TOKEN));

    Process depotProcess = command.start();
    try {
      Instant deadline = Instant.now().plusSeconds(120);
      while (!Files.readString(log).contains("RUN echo " + marker) && Instant.now().isBefore(deadline)) {
        assertTrue(depotProcess.isAlive(), Files.readString(log));
        Thread.sleep(200);
      }
      depotProcess.destroy();

      assertTrue(depotProcess.waitFor(60, TimeUnit.SECONDS), "depot did not exit after SIGTERM");
    } finally {
      depotProcess.destroyForcibly();
    }

    assertTrue(depotProcess.exitValue() != 0, Files.readString(log));
    FinishBuildRequest result = onlyNewBuild(buildsBefore).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.CANCELED, result.getResultCase(), Files.readString(log));
  }

  @Test
  void invalidToken_printsOneLineWithoutToken() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\n");
    String wrongToken = "wrong-secret-" + Long.toHexString(System.nanoTime());
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(wrongToken), "build", "--project", PROJECT, "--progress=plain",
        context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(buildsBefore, depot.builds().size());
    List<String> errorLines = run.stderr().lines().filter(line -> line.contains("unauthenticated")).toList();
    assertEquals(1, errorLines.size(), run.stderr());
    assertTrue(errorLines.get(0).contains("check the token in --token or DEPOT_TOKEN"), run.stderr());
    assertFalse(run.stderr().contains(wrongToken), run.stderr());
    assertFalse(run.stdout().contains(wrongToken), run.stdout());
  }

  @Test
  void unknownProject_printsNotFound() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\n");

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--project", "no-such-project",
        "--progress=plain", context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("not_found: project no-such-project not found"), run.stderr());
    assertFalse(run.stderr().contains(TOKEN), run.stderr());
  }

  @Test
  void finishFailure_isWarningOnly() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo finish-" + System.nanoTime() + "\n");
    depot.failNext(BuildService.FINISH_BUILD, ConnectCode.UNAVAILABLE, "try later");

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--project", PROJECT, "--progress=plain",
        context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("WARNING: failed to finish Depot build"), run.stderr());
  }

  @Test
  void pendingConnection_isPolledThenServed() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo pending-" + System.nanoTime() + "\n");
    depot.pendingPolls(3, Duration.ofMillis(300));
    int buildsBefore = depot.builds().size();
    Instant start = Instant.now();

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--project", PROJECT, "--progress=plain",
        context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    DepotBuild build = onlyNewBuild(buildsBefore);
    assertEquals(4, build.connectionPolls());
    assertTrue(Duration.between(start, Instant.now()).toMillis() >= 900, "the pending wait_ms was not honoured");
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
  }

  @Test
  void depotJson_namesTheProject() throws Exception {
    Path context = context("FROM " + LocalEngine.baseImage() + "\nRUN echo json-" + System.nanoTime() + "\n");
    Files.writeString(work.resolve("depot.json"), "{\"id\": \"" + PROJECT + "\"}\n");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(TOKEN), "build", "--progress=plain", context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(PROJECT, onlyNewBuild(buildsBefore).projectId());
  }
}
