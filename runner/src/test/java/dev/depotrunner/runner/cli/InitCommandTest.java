package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.depotapi.ProjectsService;
import dev.depotrunner.runner.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code depot init} against the control plane double, without a builder. */
class InitCommandTest {

  private static final String TOKEN = "init-test-token";

  private static ControlPlane depot;

  @TempDir Path workingDirectory;

  record Result(int exitCode, String out, String err) {}

  @BeforeAll
  static void startControlPlane() throws IOException {
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(TOKEN);
    depot.addProject("p-api", "api");
    depot.addProject("p-web", "web");
  }

  @AfterAll
  static void stopControlPlane() {
    depot.close();
  }

  private Result run(Map<String, String> environment, String stdin, boolean terminal, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var invocation = new Invocation(
        environment,
        workingDirectory,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        terminal,
        false);
    int exitCode = Main.run(args, invocation, (options, ignored) -> 0);
    return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Map<String, String> apiEnvironment(String token) {
    return Map.of("DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", token);
  }

  @Test
  void init_withProjectWritesFile() throws IOException {
    Result result = run(Map.of(), "", false, "init", "--project", "p-123");

    assertEquals(0, result.exitCode(), result.err());
    assertEquals("{\"id\":\"p-123\"}\n", Files.readString(workingDirectory.resolve("depot.json")));
    assertTrue(result.out().contains("Wrote " + workingDirectory.resolve("depot.json")), result.out());
  }

  @Test
  void init_intoNamedFolder() throws IOException {
    Path app = Files.createDirectories(workingDirectory.resolve("app"));

    Result result = run(Map.of(), "", false, "init", "--project", "p-1", "app");

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(Files.exists(app.resolve("depot.json")));
  }

  @Test
  void init_withoutTerminalNeedsProject() {
    Result result = run(apiEnvironment(TOKEN), "1\n", false, "init");

    assertEquals(1, result.exitCode());
    assertEquals("error: --project is required when stdin is not a terminal: run depot init --project ID\n",
        result.err());
    assertFalse(Files.exists(workingDirectory.resolve("depot.json")));
  }

  @Test
  void init_promptListsProjectsAndWritesChoice() throws IOException {
    int callsBefore = depot.calls(ProjectsService.LIST_PROJECTS).size();

    Result result = run(apiEnvironment(TOKEN), "9\n2\n", true, "init");

    assertEquals(0, result.exitCode(), result.err());
    assertTrue(result.out().contains("1) api (p-api, Control Plane)"), result.out());
    assertTrue(result.out().contains("2) web (p-web, Control Plane)"), result.out());
    assertTrue(result.out().contains("invalid choice \"9\": enter a number from 1 to 2"), result.out());
    assertEquals("p-web", dev.depotrunner.steps.depot.ProjectFile.find(workingDirectory).orElseThrow().projectId());
    var calls = depot.calls(ProjectsService.LIST_PROJECTS);
    assertEquals(callsBefore + 1, calls.size());
    assertEquals("Bearer " + TOKEN, calls.get(calls.size() - 1).authorization().orElseThrow());
  }

  @Test
  void init_promptGivesUpWithoutAnswer() {
    Result result = run(apiEnvironment(TOKEN), "", true, "init");

    assertEquals(1, result.exitCode());
    assertTrue(result.err().contains("error: no project chosen"), result.err());
  }

  @Test
  void init_invalidTokenIsOneLine() {
    Result result = run(apiEnvironment("bad-token-secret"), "1\n", true, "init");

    assertEquals(1, result.exitCode());
    assertEquals(1, result.err().lines().count(), result.err());
    assertTrue(result.err().startsWith("error: Depot API call ProjectsService.ListProjects failed (unauthenticated"),
        result.err());
    assertFalse(result.err().contains("bad-token-secret"), result.err());
  }

  @Test
  void init_existingFileNeedsForce() throws IOException {
    Files.writeString(workingDirectory.resolve("depot.json"), "{\"id\":\"old\"}\n");
    Path nested = Files.createDirectories(workingDirectory.resolve("nested"));

    Result refused = run(Map.of(), "", false, "init", "--project", "new", "nested");
    Result forced = run(Map.of(), "", false, "init", "--project", "new", "--force", "nested");

    assertEquals(1, refused.exitCode());
    assertTrue(refused.err().contains("already exists; run depot init --force"), refused.err());
    assertEquals(0, forced.exitCode(), forced.err());
    assertEquals("{\"id\":\"new\"}\n", Files.readString(workingDirectory.resolve("depot.json")));
    assertFalse(Files.exists(nested.resolve("depot.json")));
  }
}
