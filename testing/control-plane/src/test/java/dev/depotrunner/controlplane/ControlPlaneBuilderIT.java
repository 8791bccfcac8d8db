package dev.depotrunner.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.session.Session;
import dev.depotrunner.buildkit.transport.AttachedSession;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnections;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.buildkit.transport.TlsConfig;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control plane's mTLS builder in front of the Docker Engine 28 from scripts/local-env. */
@Timeout(120)
class ControlPlaneBuilderIT {

  static BuilderEndpoint dockerEngine() {
    String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///run/depot-runner-env/docker28.sock");
    return BuilderEndpoint.parse("docker://" + host, Map.of());
  }

  @Test
  void builderForwardsControlAndSession() throws Exception {
    try (ControlPlane depot = ControlPlane.start(dockerEngine())) {
      depot.addToken("token-1");
      depot.addProject("project-1", "web");
      var api = new BuildService(ConnectClient.create(depot.url(), "depot-runner/test/linux/amd64/terminal"));
      var build = api.createBuild(CreateBuildRequest.newBuilder().setProjectId("project-1").build(), ApiToken.of("token-1"));
      var connection = api.getBuildKitConnection(GetBuildKitConnectionRequest.newBuilder()
          .setBuildId(build.getBuildId()).setPlatform(BuilderPlatform.BUILDER_PLATFORM_AMD64).build(),
          ApiToken.of(build.getBuildToken())).getActive();

      TlsConfig tls = TlsConfig.fromPem(
          connection.getCaCert().getCert(), connection.getCert().getCert(), connection.getCert().getKey())
          .withServerName(connection.getServerName());
      BuilderEndpoint endpoint = BuilderEndpoint.parse(connection.getEndpoint(), Map.of()).withTls(tls);
      try (BuilderConnection builder = BuilderConnections.open(endpoint);
          AttachedSession session = builder.attach(Session.builder("control-plane-it").build())) {
        TimeUnit.SECONDS.sleep(3);

        assertFalse(session.done().isDone(), "the session stream ended: " + session.done());
        assertTrue(depot.forwardedBuilderCalls() >= 2);
      }
      assertEquals(1, depot.builds().size());
    }
  }
}
