package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.registry.DepotAccount;
import dev.depotrunner.depotapi.proto.cli.v1.Build;
import dev.depotrunner.depotapi.proto.cli.v1.BuildStatus;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.build.BuildRunner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code depot list builds} against the control-plane double. */
class ListBuildsCommandTest {

  private static final String TOKEN = "list-builds-token";

  private static ControlPlane depot;

  @TempDir
  Path folder;

  @BeforeAll
  static void startDepot() throws Exception {
    depot = ControlPlane.startWithoutBuilder();
    DepotAccount account = DepotAccount.serve(depot, TOKEN);
    account.addBuild("p-web", Build.newBuilder().setId("b-2").setStatus(BuildStatus.BUILD_STATUS_FAILED)
        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_780_000_100L).setNanos(900_000_000))
        .setFinishedAt(Timestamp.newBuilder().setSeconds(1_780_000_142L).setNanos(100_000_000))
        .build());
    account.addBuild("p-web", Build.newBuilder().setId("b-1").setStatus(BuildStatus.BUILD_STATUS_FINISHED)
        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_780_000_000L))
        .setFinishedAt(Timestamp.newBuilder().setSeconds(1_780_000_065L))
        .build());
  }

  @AfterAll
  static void stopDepot() {
    depot.close();
  }

  @Test
  void csvWithoutTerminal() {
    Run run = depot(Map.of(), false, "list", "builds", "--project", "p-web");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("""
        Build ID,Status,Started,Duration (s)
        b-2,failed,2026-05-28T20:28:20Z,41
        b-1,finished,2026-05-28T20:26:40Z,65
        """, run.stdout());
  }

  @Test
  void jsonOutput() {
    Run run = depot(Map.of("DEPOT_PROJECT_ID", "p-web"), false, "list", "builds", "--output", "json");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("""
        [
          {
            "id": "b-2",
            "status": "failed",
            "startTime": "2026-05-28T20:28:20Z",
            "duration": 41
          },
          {
            "id": "b-1",
            "status": "finished",
            "startTime": "2026-05-28T20:26:40Z",
            "duration": 65
          }
        ]
        """, run.stdout());
  }

  @Test
  void tableOnTerminal() {
    Run run = depot(Map.of(), true, "ls", "b", "--project", "p-web");

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("""
        BUILD ID   STATUS     STARTED                DURATION (S)
        b-2        failed     2026-05-28T20:28:20Z   41
        b-1        finished   2026-05-28T20:26:40Z   65
        """, run.stdout());
  }

  @Test
  void projectFromDepotJson() throws Exception {
    Files.writeString(folder.resolve("depot.json"), "{\"id\": \"p-web\"}");

    Run run = depot(Map.of(), false, "list", "builds");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().startsWith("Build ID,"), run.stdout());
  }

  @Test
  void emptyProjectPrintsNothing() {
    Run csv = depot(Map.of(), false, "list", "builds", "--project", "p-empty");
    Run json = depot(Map.of(), false, "list", "builds", "--project", "p-empty", "--output", "json");

    assertEquals("", csv.stdout());
    assertEquals("[]\n", json.stdout());
  }

  @Test
  void runningBuildCountsToNow() {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    ListCommand.write(new PrintStream(out, true, StandardCharsets.UTF_8), "csv",
        List.of(Build.newBuilder().setId("b-run").setStatus(BuildStatus.BUILD_STATUS_RUNNING)
            .setCreatedAt(Timestamp.newBuilder().setSeconds(created.getEpochSecond())).build(),
            Build.newBuilder().setId("b-odd").setStatusValue(9).build()),
        created.plusSeconds(90));

    assertEquals("""
        Build ID,Status,Started,Duration (s)
        b-run,running,2026-01-01T00:00:00Z,90
        b-odd,9,2026-01-01T00:01:30Z,0
        """, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void missingProjectIsUsageError() {
    Run run = depot(Map.of(), false, "list", "builds");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("unknown project ID"), run.stderr());
  }

  @Test
  void unknownFormatIsUsageError() {
    Run run = depot(Map.of(), false, "list", "builds", "--project", "p-web", "--output", "yaml");

    assertEquals(DepotCommand.EXIT_USAGE, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("unknown format: yaml"), run.stderr());
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  private Run depot(Map<String, String> extra, boolean terminal, String... args) {
    Map<String, String> environment = new HashMap<>(Map.of(
        "DEPOT_API_URL", depot.url().toString(), "DEPOT_TOKEN", TOKEN, "HOME", folder.toString()));
    environment.putAll(extra);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(environment, folder,
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal, false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
