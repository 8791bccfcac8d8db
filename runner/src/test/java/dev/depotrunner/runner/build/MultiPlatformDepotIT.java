package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.DepotBuild;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionRequest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-platform {@code depot build} in Depot mode: the control plane double hands out one builder per
 * GetBuildKitConnection, each forwarding to the local Docker Engine 28. The Dockerfile only copies a file
 * onto {@code scratch}, so both architectures build without emulation.
 */
@Timeout(300)
class MultiPlatformDepotIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "multiplatform-it-token-" + Long.toHexString(System.nanoTime());
  private static final String PROJECT = "multiplatform-project";
  private static final String DOCKERFILE = "FROM scratch\nCOPY greeting.txt /greeting.txt\n";

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

  private Map<String, String> depotEnvironment() {
    return Map.of("DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN, "CI", "true");
  }

  private Path context() throws IOException {
    Path context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
    Files.writeString(context.resolve("greeting.txt"), "hello " + System.nanoTime() + "\n");
    return context;
  }

  private static String uniqueRepository(String name) {
    return "multiplatform/" + name + "-" + Long.toHexString(System.nanoTime());
  }

  private static DepotBuild onlyNewBuild(int buildsBefore) {
    List<DepotBuild> builds = depot.builds();
    assertEquals(buildsBefore + 1, builds.size(), builds.toString());
    return builds.get(builds.size() - 1);
  }

  private static List<BuilderPlatform> builderRequests(DepotBuild build) {
    List<BuilderPlatform> platforms = new ArrayList<>();
    depot.calls().forEach(call -> {
      if (call.request() instanceof GetBuildKitConnectionRequest request && request.getBuildId().equals(build.id())) {
        platforms.add(request.getPlatform());
      }
    });
    return platforms;
  }

  private static Set<String> imagePlatforms(JsonNode index) {
    Set<String> platforms = new TreeSet<>();
    for (JsonNode descriptor : index.path("manifests")) {
      String os = descriptor.path("platform").path("os").asText();
      if (!os.equals("unknown")) {
        platforms.add(os + "/" + descriptor.path("platform").path("architecture").asText());
      }
    }
    return platforms;
  }

  @Test
  void push_joinsTwoBuildersIntoOneIndex() throws Exception {
    Path context = context();
    String repository = uniqueRepository("push");
    String image = LocalEngine.registry() + "/" + repository;
    Path metadataFile = work.resolve("metadata.json");
    Path imageIdFile = work.resolve("iid");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", PROJECT, "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "-t", image + ":1", "-t", image + ":2", "--push",
        "--metadata-file", metadataFile.toString(), "--iidfile", imageIdFile.toString(), context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    DepotBuild build = onlyNewBuild(buildsBefore);
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
    List<BuilderPlatform> requested = builderRequests(build);
    assertTrue(requested.contains(BuilderPlatform.BUILDER_PLATFORM_AMD64), requested.toString());
    assertTrue(requested.contains(BuilderPlatform.BUILDER_PLATFORM_ARM64), requested.toString());
    assertTrue(run.stderr().contains("[amd64 1/1] COPY"), run.stderr());
    assertTrue(run.stderr().contains("[arm64 1/1] COPY"), run.stderr());

    HttpResponse<byte[]> first = LocalEngine.registryManifest(repository, "1");
    assertEquals(200, first.statusCode());
    assertEquals("application/vnd.oci.image.index.v1+json", first.headers().firstValue("Content-Type").orElse(""));
    JsonNode index = JSON.readTree(first.body());
    assertEquals(Set.of("linux/amd64", "linux/arm64"), imagePlatforms(index));
    String digest = first.headers().firstValue("Docker-Content-Digest").orElseThrow();
    assertEquals(digest, LocalEngine.registryManifest(repository, "2").headers().firstValue("Docker-Content-Digest").orElse(""));

    JsonNode metadata = JSON.readTree(metadataFile.toFile());
    assertEquals(digest, metadata.path("containerimage.digest").asText(), metadata.toString());
    assertEquals(build.id(), metadata.path("depot.build").path("buildID").asText());
    assertEquals(digest, Files.readString(imageIdFile, StandardCharsets.UTF_8));
  }

  @Test
  void buildPlatform_usesOneBuilder() throws Exception {
    Path context = context();
    String repository = uniqueRepository("one-builder");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", PROJECT, "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "--build-platform", "linux/amd64",
        "-t", LocalEngine.registry() + "/" + repository + ":1", "--push", context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    DepotBuild build = onlyNewBuild(buildsBefore);
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
    List<BuilderPlatform> requested = builderRequests(build);
    assertFalse(requested.isEmpty());
    assertTrue(requested.stream().allMatch(BuilderPlatform.BUILDER_PLATFORM_AMD64::equals), requested.toString());
    JsonNode index = JSON.readTree(LocalEngine.registryManifest(repository, "1").body());
    assertEquals(Set.of("linux/amd64", "linux/arm64"), imagePlatforms(index));
  }

  @Test
  void localOutput_getsFolderPerPlatform() throws Exception {
    Path context = context();
    Path out = work.resolve("out");

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", PROJECT, "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "--output", "type=local,dest=" + out, context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    String greeting = Files.readString(context.resolve("greeting.txt"));
    assertEquals(greeting, Files.readString(out.resolve("linux_amd64/greeting.txt")));
    assertEquals(greeting, Files.readString(out.resolve("linux_arm64/greeting.txt")));
  }

  @Test
  void tarOutput_getsFolderPerPlatform() throws Exception {
    Path context = context();
    Path tarball = work.resolve("out.tar");

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", PROJECT, "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "--output", "type=tar,dest=" + tarball, context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    Map<String, String> entries = new HashMap<>();
    try (var in = new TarArchiveInputStream(Files.newInputStream(tarball))) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    String greeting = Files.readString(context.resolve("greeting.txt"));
    assertEquals(greeting, entries.get("linux_amd64/greeting.txt"), entries.keySet().toString());
    assertEquals(greeting, entries.get("linux_arm64/greeting.txt"), entries.keySet().toString());
  }

  @Test
  void load_failsBeforeBuilding() throws Exception {
    Path context = context();
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", PROJECT, "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", "--load", context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(buildsBefore, depot.builds().size());
    List<String> errors = run.stderr().lines().filter(line -> line.contains("--load:")).toList();
    assertEquals(1, errors.size(), run.stderr());
    assertTrue(errors.get(0).contains("--load one platform at a time"), run.stderr());
    assertFalse(errors.get(0).contains("--build-platform"), run.stderr());
  }

  @Test
  void failingArchitecture_finishesWithItsError() throws Exception {
    Path context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nARG TARGETARCH\nCOPY greeting-${TARGETARCH}.txt /greeting.txt\n");
    Files.writeString(context.resolve("greeting-amd64.txt"), "only amd64\n");
    int buildsBefore = depot.builds().size();

    var run = LocalEngine.depot(work, depotEnvironment(), "build", "--project", PROJECT, "--progress=plain",
        "--platform", "linux/amd64,linux/arm64", context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    FinishBuildRequest result = onlyNewBuild(buildsBefore).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.ERROR, result.getResultCase());
    assertTrue(result.getError().getError().contains("greeting-arm64.txt"), result.getError().getError());
    assertTrue(run.stderr().contains("[arm64 2/2] COPY") || run.stderr().contains("[arm64 1/1] COPY"), run.stderr());
    List<String> errors = run.stderr().lines().filter(line -> line.startsWith("ERROR:")).toList();
    assertEquals(1, errors.size(), run.stderr());
    assertTrue(errors.get(0).contains("greeting-arm64.txt"), run.stderr());
  }
}
