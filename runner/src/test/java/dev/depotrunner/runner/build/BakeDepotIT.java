package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.DepotBuild;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.cli.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depot bake} on Depot builders: the control plane double serves the API and hands out mTLS
 * builders that forward to the local Docker Engine 28 from scripts/local-env. Targets of one project
 * share one Depot build; each other project gets its own.
 */
@Timeout(300)
class BakeDepotIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "bake-it-token-" + Long.toHexString(System.nanoTime());
  private static final String MAIN_PROJECT = "bake-main";
  private static final String OTHER_PROJECT = "bake-other";

  private static ControlPlane depot;

  @TempDir Path work;

  @BeforeAll
  static void startControlPlane() throws IOException {
    depot = LocalEngine.startDepot(TOKEN, MAIN_PROJECT, OTHER_PROJECT);
  }

  @AfterAll
  static void stopControlPlane() {
    depot.close();
  }

  private LocalEngine.Run bake(String... args) {
    return LocalEngine.bake(work, Map.of("DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN), args);
  }

  private void write(String name, String content) throws IOException {
    Path file = work.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static List<DepotBuild> newBuilds(int before) {
    List<DepotBuild> builds = depot.builds();
    return builds.subList(before, builds.size());
  }

  private static DepotBuild buildOf(List<DepotBuild> builds, String project) {
    return builds.stream().filter(build -> build.projectId().equals(project)).findFirst().orElseThrow(
        () -> new AssertionError("no build in project " + project + ": " + builds));
  }

  private static List<String> targetNames(DepotBuild build) {
    return build.request().getOptionsList().stream().map(BuildOptions::getTargetName).toList();
  }

  @Test
  void targetsInTwoProjects_becomeTwoBuilds() throws Exception {
    String repository = "bake-depot/app-" + Long.toHexString(System.nanoTime());
    String image = LocalEngine.registry() + "/" + repository + ":1";
    write("app/Dockerfile", "FROM " + LocalEngine.baseImage() + "\nRUN echo app > /app\n");
    write("worker/Dockerfile", "FROM " + LocalEngine.baseImage() + "\nRUN echo worker > /worker\n");
    write("tools/Dockerfile", "FROM " + LocalEngine.baseImage() + "\nRUN echo tools > /tools\n");
    write("docker-bake.hcl", """
        group "default" {
          targets = ["app", "worker", "tools"]
        }
        target "app" {
          context = "app"
          tags = ["%s"]
          output = ["type=registry"]
        }
        target "worker" {
          context = "worker"
        }
        target "tools" {
          context = "tools"
          project_id = "%s"
        }
        """.formatted(image, OTHER_PROJECT));
    int before = depot.builds().size();

    var run = bake("--project", MAIN_PROJECT, "--progress=plain", "--metadata-file", "metadata.json");

    assertEquals(0, run.exitCode(), run.stderr());
    List<DepotBuild> builds = newBuilds(before);
    assertEquals(2, builds.size(), builds.toString());
    DepotBuild main = buildOf(builds, MAIN_PROJECT);
    DepotBuild other = buildOf(builds, OTHER_PROJECT);
    assertEquals(List.of("app", "worker"), targetNames(main));
    assertEquals(List.of("tools"), targetNames(other));
    assertEquals(Command.COMMAND_BAKE, main.request().getOptions(0).getCommand());
    assertEquals(List.of(image), main.request().getOptions(0).getTagsList());
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, main.awaitResult(Duration.ofSeconds(5)).getResultCase());
    assertEquals(FinishBuildRequest.ResultCase.SUCCESS, other.awaitResult(Duration.ofSeconds(5)).getResultCase());
    assertEquals(1, main.connectionPolls(), "app and worker share one builder");
    assertTrue(run.stderr().contains("Build: " + main.url()), run.stderr());
    assertTrue(run.stderr().contains("Build: " + other.url()), run.stderr());

    JsonNode metadata = JSON.readTree(work.resolve("metadata.json").toFile());
    for (String target : List.of("app", "worker", "tools")) {
      assertTrue(metadata.has(target), target + " missing in " + metadata);
    }
    assertEquals(main.id(), metadata.path("depot.build").path("buildID").asText());
    assertEquals(MAIN_PROJECT, metadata.path("depot.build").path("projectID").asText());
    assertEquals("[\"app\",\"worker\"]", metadata.path("depot.build").path("targets").toString());
    var manifest = LocalEngine.registryManifest(repository, "1");
    assertEquals(200, manifest.statusCode());
    assertEquals(metadata.path("app").path("containerimage.digest").asText(),
        manifest.headers().firstValue("Docker-Content-Digest").orElse(""));
  }

  @Test
  void failingTarget_errorsItsBuildAndCancelsTheOther() throws Exception {
    write("bad/Dockerfile", "FROM " + LocalEngine.baseImage() + "\nRUN echo broken && exit 3\n");
    write("slow/Dockerfile", "FROM " + LocalEngine.baseImage() + "\nRUN echo slow-" + System.nanoTime() + " && sleep 120\n");
    write("docker-bake.hcl", """
        group "default" {
          targets = ["bad", "slow"]
        }
        target "bad" {
          context = "bad"
        }
        target "slow" {
          context = "slow"
          project_id = "%s"
        }
        """.formatted(OTHER_PROJECT));
    int before = depot.builds().size();
    Instant start = Instant.now();

    var run = bake("--project", MAIN_PROJECT, "--progress=plain");

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(Duration.between(start, Instant.now()).toSeconds() < 90, "the slow target was not cancelled");
    List<DepotBuild> builds = newBuilds(before);
    FinishBuildRequest bad = buildOf(builds, MAIN_PROJECT).awaitResult(Duration.ofSeconds(5));
    FinishBuildRequest slow = buildOf(builds, OTHER_PROJECT).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.ERROR, bad.getResultCase());
    assertTrue(bad.getError().getError().contains("exit code: 3"), bad.getError().getError());
    assertEquals(FinishBuildRequest.ResultCase.CANCELED, slow.getResultCase());
    assertTrue(run.stderr().contains("bad"), run.stderr());
  }

  @Test
  void targetContextAcrossProjects_isRejectedBeforeBuilding() throws Exception {
    write("base/Dockerfile", "FROM " + LocalEngine.baseImage() + "\n");
    write("app/Dockerfile", "FROM base\n");
    write("docker-bake.hcl", """
        target "base" {
          context = "base"
          project_id = "%s"
        }
        target "app" {
          context = "app"
          contexts = { base = "target:base" }
        }
        """.formatted(OTHER_PROJECT));
    int before = depot.builds().size();

    var run = bake("--project", MAIN_PROJECT, "--progress=plain", "app");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(0, newBuilds(before).size());
    assertTrue(run.stderr().contains("target app reads target:base but they are in different Depot projects"),
        run.stderr());
    assertFalse(run.stderr().contains(TOKEN), run.stderr());
  }

  @Test
  void targetWithoutProject_namesTheTarget() throws Exception {
    write("a/Dockerfile", "FROM " + LocalEngine.baseImage() + "\n");
    write("b/Dockerfile", "FROM " + LocalEngine.baseImage() + "\n");
    write("docker-bake.hcl", """
        group "default" {
          targets = ["a", "b"]
        }
        target "a" {
          context = "a"
          project_id = "%s"
        }
        target "b" {
          context = "b"
        }
        """.formatted(OTHER_PROJECT));
    int before = depot.builds().size();

    var run = bake("--progress=plain");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(0, newBuilds(before).size());
    assertTrue(run.stderr().contains("target b has no Depot project"), run.stderr());
  }
}
