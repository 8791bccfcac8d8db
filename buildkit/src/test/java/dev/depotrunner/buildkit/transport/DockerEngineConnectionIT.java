package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.proto.control.ControlGrpc;
import dev.depotrunner.buildkit.proto.control.ListWorkersRequest;
import dev.depotrunner.buildkit.proto.control.ListWorkersResponse;
import dev.depotrunner.buildkit.session.Session;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs against the Docker Engines that {@code scripts/local-env up} starts: Docker 28 at {@code
 * DOCKER_HOST} and Docker 20.10 at {@code DEPOT_RUNNER_DOCKER20_HOST}.
 */
@Timeout(120)
class DockerEngineConnectionIT {

  private static BuilderEndpoint engine(String variable) {
    String address = System.getenv(variable);
    assertNotNull(address, variable + " is unset; run scripts/local-env up and eval \"$(scripts/local-env env)\"");
    return BuilderEndpoint.parse("docker://" + address, Map.of());
  }

  private static BuilderEndpoint docker28() {
    return engine("DOCKER_HOST");
  }

  private static BuilderEndpoint docker20() {
    return engine("DEPOT_RUNNER_DOCKER20_HOST");
  }

  @Test
  void docker28ListsWorkersThroughGrpc() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(docker28())) {
      ListWorkersResponse workers =
          ControlGrpc.newBlockingStub(connection.channel())
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .listWorkers(ListWorkersRequest.getDefaultInstance());

      assertFalse(workers.getRecordList().isEmpty(), workers.toString());
      assertFalse(workers.getRecord(0).getPlatformsList().isEmpty(), workers.toString());
    }
  }

  @Test
  void docker28ReportsVersions() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(docker28())) {
      BuilderVersion version = connection.version();

      // Debian's docker.io 28 reports BuildKit v0.0.0+unknown, which counts as unknown.
      version.buildkit().ifPresent(buildkit -> assertTrue(buildkit.startsWith("v0."), buildkit));
      assertTrue(version.dockerEngine().orElseThrow().startsWith("28."), version.toString());
      assertTrue(version.dockerApi().orElseThrow().startsWith("1."), version.toString());
      assertEquals("docker://" + System.getenv("DOCKER_HOST"), connection.description());
    }
  }

  @Test
  void docker20ListsWorkersThroughGrpc() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(docker20())) {
      ListWorkersResponse workers =
          ControlGrpc.newBlockingStub(connection.channel())
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .listWorkers(ListWorkersRequest.getDefaultInstance());

      assertFalse(workers.getRecordList().isEmpty(), workers.toString());
    }
  }

  @Test
  void docker20ReportsEngineVersion() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(docker20())) {
      BuilderVersion version = connection.version();

      assertTrue(version.dockerEngine().orElseThrow().startsWith("20.10."), version.toString());
      assertEquals("1.41", version.dockerApi().orElseThrow());
      assertFalse(version.isBuildkitAtLeast("v0.11.0"), version.toString());
    }
  }

  @Test
  void docker28OverNioSockets() throws Exception {
    try (BuilderConnection connection =
            BuilderConnections.open(docker28(), BuilderConnections.DEFAULT_TIMEOUT, false);
        AttachedSession attached = connection.attach(Session.builder("nio").build())) {
      ListWorkersResponse workers =
          ControlGrpc.newBlockingStub(connection.channel())
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .listWorkers(ListWorkersRequest.getDefaultInstance());

      assertFalse(workers.getRecordList().isEmpty(), workers.toString());
    }
  }

  @Test
  void docker28HealthChecksAttachedSession() throws Exception {
    assertSessionHealthChecked(docker28(), "depot-runner-it");
  }

  @Test
  void docker20HealthChecksAttachedSession() throws Exception {
    assertSessionHealthChecked(docker20(), "depot-runner-it");
  }

  @Test
  void docker28KeepsSessionWithNonAsciiName() throws Exception {
    assertSessionHealthChecked(docker28(), "contexte-été");
  }

  @Test
  void docker20KeepsSessionWithNonAsciiName() throws Exception {
    assertSessionHealthChecked(docker20(), "contexte-été");
  }

  /** BuildKit checks a session's health every 5 seconds and drops it after two failed checks. */
  private static void assertSessionHealthChecked(BuilderEndpoint endpoint, String name) throws Exception {
    CountingHealthService health = new CountingHealthService();
    Session session = Session.builder(name).service(health).build();

    try (BuilderConnection connection = BuilderConnections.open(endpoint);
        AttachedSession attached = connection.attach(session)) {
      assertTrue(health.awaitChecks(2, Duration.ofSeconds(20)), "health checks: " + health.checks());
      assertFalse(attached.done().isDone(), "the builder ended the session");

      attached.close();
      attached.done().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void missingSocketNamesAddress() {
    BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://unix:///run/depot-runner-env/absent.sock", Map.of());

    BuilderConnectionException error =
        assertThrows(BuilderConnectionException.class, () -> BuilderConnections.open(endpoint));

    assertEquals(
        "cannot connect to the Docker Engine at docker://unix:///run/depot-runner-env/absent.sock: no such file;"
            + " start the Docker Engine, or set DOCKER_HOST or --builder to a running one",
        error.getMessage());
  }
}
