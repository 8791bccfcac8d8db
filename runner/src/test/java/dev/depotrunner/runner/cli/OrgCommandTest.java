package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.registry.DepotAccount;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.build.BuildRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code depot org list|switch|show} against the control-plane double and a config file in a temporary home. */
class OrgCommandTest {

  private static final String TOKEN = "org-test-token";

  @TempDir
  Path home;

  private ControlPlane depot;
  private DepotAccount account;

  @BeforeEach
  void startDepot() throws Exception {
    depot = ControlPlane.startWithoutBuilder();
    account = DepotAccount.serve(depot, TOKEN);
  }

  @AfterEach
  void stopDepot() {
    depot.close();
  }

  @Test
  void listCsvWithoutTerminal() {
    addTwoOrganizations();

    Run run = depot(Map.of(), false, "org", "list");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("Organization ID,Name\norg-a,\"Acme, Inc\"\norg-b,Build <Team>\n", run.stdout());
  }

  @Test
  void listJson() {
    addTwoOrganizations();

    Run run = depot(Map.of(), false, "org", "ls", "--output", "json");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("""
        [
          {
            "OrgId": "org-a",
            "Name": "Acme, Inc"
          },
          {
            "OrgId": "org-b",
            "Name": "Build \\u003cTeam\\u003e"
          }
        ]
        """, run.stdout());
  }

  @Test
  void listTableOnTerminal() {
    addTwoOrganizations();

    Run run = depot(Map.of(), true, "org", "list");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("ORGANIZATION ID   NAME\norg-a             Acme, Inc\norg-b             Build <Team>\n", run.stdout());
  }

  @Test
  void listWithLoginToken() throws Exception {
    addTwoOrganizations();
    writeConfig("api_token: " + TOKEN + "\n");

    Run run = depot(Map.of("DEPOT_TOKEN", ""), false, "org", "list");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("org-a"), run.stdout());
  }

  @Test
  void switchSavesOrganization() throws Exception {
    writeConfig("api_token: dep_saved\n");

    Run run = depot(Map.of(), false, "org", "switch", "org-b");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("Current organization updated.\n", run.stdout());
    String config = Files.readString(configFile());
    assertTrue(config.contains("org_id: \"org-b\""), config);
    assertTrue(config.contains("api_token: \"dep_saved\""), config);
  }

  @Test
  void switchPicksOnlyOrganization() throws Exception {
    account.addOrganization("org-only", "Only");

    Run run = depot(Map.of(), false, "org", "switch");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(Files.readString(configFile()).contains("org-only"));
  }

  @Test
  void switchAmongSeveralNeedsId() {
    addTwoOrganizations();

    Run run = depot(Map.of(), false, "org", "switch");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("missing organization ID"), run.stderr());
    assertFalse(Files.exists(configFile()));
  }

  @Test
  void switchWithoutOrganizationsFails() {
    Run run = depot(Map.of(), false, "org", "switch");

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("no organizations found"), run.stderr());
  }

  @Test
  void showPrintsSwitchedOrganization() {
    depot(Map.of(), false, "org", "switch", "org-b");

    Run run = depot(Map.of(), false, "org", "show");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("org-b\n", run.stdout());
  }

  @Test
  void showPrefersVariable() throws Exception {
    writeConfig("org_id: org-saved\n");

    Run run = depot(Map.of("DEPOT_ORG_ID", "org-env"), false, "org", "show");

    assertEquals("org-env\n", run.stdout());
  }

  @Test
  void showWithoutOrganizationFails() {
    Run run = depot(Map.of(), false, "org", "show");

    assertEquals(1, run.exitCode(), run.stderr());
    assertEquals("No organization selected\n", run.stderr());
    assertEquals("", run.stdout());
  }

  private void addTwoOrganizations() {
    account.addOrganization("org-a", "Acme, Inc");
    account.addOrganization("org-b", "Build <Team>");
  }

  private Path configFile() {
    return home.resolve(".config/depot/depot.yaml");
  }

  private void writeConfig(String content) throws Exception {
    Files.createDirectories(configFile().getParent());
    Files.writeString(configFile(), content);
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private Run depot(Map<String, String> extra, boolean terminal, String... args) {
    Map<String, String> environment = new HashMap<>(Map.of(
        "DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN, "HOME", home.toString()));
    environment.putAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(environment, home,
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal, false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
