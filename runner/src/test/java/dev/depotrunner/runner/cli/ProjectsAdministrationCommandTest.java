package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.registry.DepotAccount;
import dev.depotrunner.depotapi.proto.core.v1.CreateProjectRequest;
import dev.depotrunner.depotapi.proto.core.v1.Project;
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

/** Runs {@code depot projects create} and {@code depot projects delete} against the control-plane double. */
class ProjectsAdministrationCommandTest {

  private static final String TOKEN = "projects-admin-token";

  @TempDir
  Path home;

  private ControlPlane depot;
  private DepotAccount account;

  @BeforeEach
  void startDepot() throws Exception {
    depot = ControlPlane.startWithoutBuilder();
    account = DepotAccount.serve(depot, TOKEN);
    account.addProject(Project.newBuilder().setProjectId("p-old").setName("old").build());
  }

  @AfterEach
  void stopDepot() {
    depot.close();
  }

  @Test
  void createPrintsJson() {
    Run run = depot(Map.of(), "", false, "projects", "create", "web <main>");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("{\"project_id\":\"project-1\",\"name\":\"web \\u003cmain\\u003e\","
        + "\"cache_policy\":{\"keep_bytes\":53687091200,\"keep_days\":14}}\n", run.stdout());
    CreateProjectRequest request = account.createRequests().get(0);
    assertEquals("web <main>", request.getName());
    assertEquals("us-east-1", request.getRegionId());
    assertEquals(false, request.hasOrganizationId());
  }

  @Test
  void createWithFlags() {
    Run run = depot(Map.of(), "", false, "projects", "create", "--name", "api", "--region", "eu-central-1",
        "--cache-storage-policy", "2", "--cache-policy-keep-days", "0", "--organization", "org-7");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("{\"project_id\":\"project-1\",\"name\":\"api\",\"cache_policy\":{\"keep_bytes\":2147483648}}\n",
        run.stdout());
    CreateProjectRequest request = account.createRequests().get(0);
    assertEquals("eu-central-1", request.getRegionId());
    assertEquals("org-7", request.getOrganizationId());
    assertEquals(0, request.getCachePolicy().getKeepDays());
  }

  @Test
  void createUsesSavedOrganization() throws Exception {
    Path config = home.resolve(".config/depot/depot.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "org_id: org-saved\n");

    Run run = depot(Map.of(), "", false, "projects", "create", "api");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("org-saved", account.createRequests().get(0).getOrganizationId());
  }

  @Test
  void createWithoutNameIsUsageError() {
    Run run = depot(Map.of(), "", false, "projects", "create");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("missing project name"), run.stderr());
    assertEquals(List.of(), account.createRequests());
  }

  @Test
  void createNegativeDaysIsUsageError() {
    Run run = depot(Map.of(), "", false, "projects", "create", "api", "--cache-policy-keep-days", "-1");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("--cache-policy-keep-days cannot be negative"), run.stderr());
  }

  @Test
  void createWithoutTokenIsUsageError() {
    Run run = depot(Map.of("DEPOT_TOKEN", ""), "", false, "projects", "create", "api");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("missing API token"), run.stderr());
  }

  @Test
  void createWithLoginToken() throws Exception {
    Path config = home.resolve(".config/depot/depot.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "api_token: " + TOKEN + "\n");

    Run run = depot(Map.of("DEPOT_TOKEN", ""), "", false, "projects", "create", "api");

    assertEquals(0, run.exitCode(), run.stderr());
  }

  @Test
  void deleteWithYes() {
    Run run = depot(Map.of(), "", false, "projects", "delete", "--project-id", "p-old", "--yes");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("Successfully deleted project p-old\n", run.stdout());
    assertEquals(List.of("p-old"), account.deletedProjects());
  }

  @Test
  void deleteWithoutTerminalNeedsYes() {
    Run run = depot(Map.of(), "", false, "projects", "delete", "-p", "p-old");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("pass --yes"), run.stderr());
    assertEquals(List.of(), account.deletedProjects());
  }

  @Test
  void deleteConfirmedOnTerminal() {
    Run run = depot(Map.of(), "y\n", true, "projects", "delete", "-p", "p-old");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("Are you sure you want to delete project p-old? [y/N] ", run.stderr());
    assertEquals("Successfully deleted project p-old\n", run.stdout());
    assertEquals(List.of("p-old"), account.deletedProjects());
  }

  @Test
  void deleteDeclinedOnTerminal() {
    Run run = depot(Map.of(), "n\n", true, "projects", "delete", "-p", "p-old");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("Cancelling project deletion...\n", run.stdout());
    assertEquals(List.of(), account.deletedProjects());
  }

  @Test
  void deleteUnknownProjectFails() {
    Run run = depot(Map.of(), "", false, "projects", "delete", "-p", "p-none", "-y");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
    assertTrue(run.stderr().contains("p-none"), run.stderr());
  }

  @Test
  void deleteWithoutProjectIsUsageError() {
    Run run = depot(Map.of(), "", false, "projects", "delete", "--yes");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("--project-id"), run.stderr());
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private Run depot(Map<String, String> extra, String stdin, boolean terminal, String... args) {
    Map<String, String> environment = new HashMap<>(Map.of(
        "DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN, "HOME", home.toString()));
    environment.putAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(environment, home,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal, false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
