package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.build.BuildRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs {@code depot projects list} against the control-plane double. */
class ProjectsListCommandTest {

  private static final String TOKEN = "projects-test-token";

  private static ControlPlane depot;

  @BeforeAll
  static void startDepot() throws Exception {
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(TOKEN);
    depot.addProject("p-api", "api, v2");
    depot.addProject("p-web", "web <main>");
  }

  @AfterAll
  static void stopDepot() {
    depot.close();
  }

  @Test
  void csvWithoutTerminal() {
    Run run = depot(false, "projects", "list");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("Project ID,Name\np-api,\"api, v2\"\np-web,web <main>\n", run.stdout());
  }

  @Test
  void jsonOutput() {
    Run run = depot(false, "projects", "ls", "--output", "json");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("""
        [
          {
            "id": "p-api",
            "name": "api, v2"
          },
          {
            "id": "p-web",
            "name": "web \\u003cmain\\u003e"
          }
        ]
        """, run.stdout());
  }

  @Test
  void tableOnTerminal() {
    Run run = depot(true, "projects", "list");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("PROJECT ID   NAME\np-api        api, v2\np-web        web <main>\n", run.stdout());
  }

  @Test
  void unknownFormatIsUsageError() {
    Run run = depot(false, "projects", "list", "--output", "yaml");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("unknown format: yaml"), run.stderr());
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run depot(boolean terminal, String... args) {
    Map<String, String> environment =
        Map.of("DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(environment, Path.of("").toAbsolutePath(),
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal, false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
