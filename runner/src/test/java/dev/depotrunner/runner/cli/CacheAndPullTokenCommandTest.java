package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.registry.DepotRegistry;
import dev.depotrunner.controlplane.registry.ProjectCaches;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.build.BuildRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code depot cache reset} and {@code depot pull-token} against the control-plane double. */
class CacheAndPullTokenCommandTest {

  private static final String TOKEN = "cache-test-token";

  @TempDir Path folder;

  private ControlPlane depot;
  private ProjectCaches caches;
  private DepotRegistry registry;

  @BeforeEach
  void startDepot() throws Exception {
    depot = ControlPlane.startWithoutBuilder();
    caches = ProjectCaches.serve(depot, TOKEN, Map.of("project-web", "web", "project-api", "api"));
    registry = DepotRegistry.serve(depot, TOKEN, "x-token", "unused");
    registry.addBuildImage("build-1", "127.0.0.1:5002/project-web:build-1");
  }

  @AfterEach
  void stopDepot() {
    depot.close();
  }

  @Test
  void cacheResetResetsChosenProject() {
    Run run = depot(Map.of(), "cache", "reset", "--project", "project-api");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("Cache reset for api (Control Plane)\n", run.stdout());
    assertEquals(List.of("project-api"), caches.resets());
  }

  @Test
  void cacheResetReadsDepotJson() throws Exception {
    Path project = Files.createDirectories(folder.resolve("web/src"));
    Files.writeString(folder.resolve("web/depot.json"), "{\"id\":\"project-web\"}");

    Run run = depot(Map.of(), "cache", "reset", project.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(List.of("project-web"), caches.resets());
  }

  @Test
  void cacheResetPrefersEnvironmentOverDepotJson() throws Exception {
    Files.writeString(folder.resolve("depot.json"), "{\"id\":\"project-web\"}");

    Run run = depot(Map.of("DEPOT_PROJECT_ID", "project-api"), "cache", "reset");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(List.of("project-api"), caches.resets());
  }

  @Test
  void cacheResetOfUnknownProjectFails() {
    Run run = depot(Map.of(), "cache", "reset", "--project", "project-missing");

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("project project-missing not found"), run.stderr());
    assertEquals(List.of(), caches.resets());
  }

  @Test
  void cacheResetWithoutProjectIsUsageError() {
    Run run = depot(Map.of(), "cache", "reset");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("unknown project ID"), run.stderr());
  }

  @Test
  void pullTokenPrintsIssuedToken() {
    Run run = depot(Map.of(), "pull-token", "--project", "project-web");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(registry.issuedPullToken(run.stdout().strip()), run.stdout());
    assertEquals("project-web", registry.pullTokenRequests().get(0).getProjectId());
  }

  @Test
  void pullTokenForBuild() {
    Run run = depot(Map.of(), "pull-token", "build-1");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(registry.issuedPullToken(run.stdout().strip()), run.stdout());
    assertEquals("build-1", registry.pullTokenRequests().get(0).getBuildId());
  }

  @Test
  void pullTokenWithWrongApiTokenFails() {
    Run run = depot(Map.of("DEPOT_TOKEN", "wrong"), "pull-token", "--project", "project-web");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals("", run.stdout());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private Run depot(Map<String, String> extra, String... args) {
    Map<String, String> environment = new HashMap<>();
    environment.put("DEPOT_API_URL", depot.url().toString());
    environment.put("DEPOT_TOKEN", TOKEN);
    environment.putAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(environment, folder, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
