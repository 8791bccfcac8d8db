package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Docker Engine transport against engines that fail before HTTP/2 starts. */
@Timeout(60)
class DockerEngineConnectionTest {

  private static final String VERSION_20_10 =
      "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}";

  @TempDir Path dir;

  @Test
  void engineWithoutGrpcEndpointNamesIt() throws Exception {
    Path socket = dir.resolve("docker.sock");
    try (FakeDockerEngine engine =
        new FakeDockerEngine(
            socket,
            head ->
                head.startsWith("GET /version ")
                    ? FakeDockerEngine.json(200, "OK", VERSION_20_10)
                    : FakeDockerEngine.json(404, "Not Found", "{\"message\":\"page not found\"}"))) {
      BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://unix://" + socket, Map.of());

      BuilderConnectionException error =
          assertThrows(
              BuilderConnectionException.class,
              () -> BuilderConnections.open(endpoint, Duration.ofSeconds(10)));

      assertEquals(
          "the Docker Engine at " + endpoint + " (20.10.24) does not serve BuildKit's /grpc endpoint"
              + " (POST /v1.41/grpc returned HTTP 404: page not found); use a Docker Engine with BuildKit"
              + " (tested with 20.10 and 28), or set --builder or BUILDKIT_HOST to a buildkitd",
          error.getMessage());
      String upgrade = engine.requests.get(1);
      assertTrue(upgrade.startsWith("POST /v1.41/grpc HTTP/1.1\r\n"), upgrade);
      assertTrue(upgrade.contains("\r\nConnection: Upgrade\r\n"), upgrade);
      assertTrue(upgrade.contains("\r\nUpgrade: h2c\r\n"), upgrade);
    }
  }

  @Test
  void nonDockerServerNamesAddress() throws Exception {
    Path socket = dir.resolve("other.sock");
    try (FakeDockerEngine engine =
        new FakeDockerEngine(socket, head -> "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom")) {
      BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://unix://" + socket, Map.of());

      BuilderConnectionException error =
          assertThrows(
              BuilderConnectionException.class,
              () -> BuilderConnections.open(endpoint, Duration.ofSeconds(10)));

      assertEquals(
          "the Docker Engine at " + endpoint + " failed: GET /version returned HTTP 500: boom;"
              + " check that the address is a Docker Engine API",
          error.getMessage());
    }
  }

  @Test
  void tlsEngineVerifiedWithDockerCertPath() throws Exception {
    Path certs = dir.resolve("certs");
    Files.createDirectories(certs);
    Files.copy(BuildkitdTlsTest.TLS.resolve("ca.pem"), certs.resolve("ca.pem"));
    Files.copy(BuildkitdTlsTest.TLS.resolve("client.pem"), certs.resolve("cert.pem"));
    Files.copy(BuildkitdTlsTest.TLS.resolve("client-key-pkcs1.pem"), certs.resolve("key.pem"));
    var serverTls =
        SslContextBuilder.forServer(
                BuildkitdTlsTest.TLS.resolve("server.pem").toFile(),
                BuildkitdTlsTest.TLS.resolve("server-key-pkcs8.pem").toFile())
            .trustManager(BuildkitdTlsTest.TLS.resolve("ca.pem").toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build();

    try (FakeTlsDockerEngine engine =
        new FakeTlsDockerEngine(
            serverTls,
            head ->
                head.startsWith("GET /version ")
                    ? FakeDockerEngine.json(200, "OK", VERSION_20_10)
                    : FakeDockerEngine.json(404, "Not Found", "{\"message\":\"page not found\"}"))) {
      BuilderEndpoint endpoint =
          BuilderEndpoint.parse(
              "docker://tcp://127.0.0.1:" + engine.port(),
              Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()));

      BuilderConnectionException error =
          assertThrows(
              BuilderConnectionException.class,
              () -> BuilderConnections.open(endpoint, Duration.ofSeconds(10)));

      // Reaching the /grpc upgrade means TLS, the client certificate and /version all worked.
      assertTrue(error.getMessage().contains("does not serve BuildKit's /grpc endpoint"), error.getMessage());
      assertTrue(engine.requests.get(0).contains("\r\nHost: 127.0.0.1:" + engine.port() + "\r\n"), engine.requests.get(0));
    }
  }

  @Test
  void tlsEngineWithWrongNameRejected() throws Exception {
    Path certs = dir.resolve("certs");
    Files.createDirectories(certs);
    Files.copy(BuildkitdTlsTest.TLS.resolve("ca.pem"), certs.resolve("ca.pem"));
    var serverTls =
        SslContextBuilder.forServer(
                BuildkitdTlsTest.TLS.resolve("server.pem").toFile(),
                BuildkitdTlsTest.TLS.resolve("server-key-pkcs8.pem").toFile())
            .build();

    try (FakeTlsDockerEngine engine =
        new FakeTlsDockerEngine(serverTls, head -> FakeDockerEngine.json(200, "OK", VERSION_20_10))) {
      // The certificate names 127.0.0.1 and buildkitd, not localhost.
      BuilderEndpoint endpoint =
          BuilderEndpoint.parse(
              "docker://tcp://localhost:" + engine.port(),
              Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()));

      BuilderConnectionException error =
          assertThrows(
              BuilderConnectionException.class,
              () -> BuilderConnections.open(endpoint, Duration.ofSeconds(10)));

      assertTrue(
          error.getMessage().startsWith("cannot connect to the Docker Engine at " + endpoint + ": TLS handshake failed"),
          error.getMessage());
      assertTrue(engine.requests.isEmpty(), engine.requests.toString());
    }
  }

  @Test
  void missingTlsFileNamesIt() {
    Path certs = dir.resolve("certs");
    BuilderEndpoint endpoint =
        BuilderEndpoint.parse(
            "docker://tcp://127.0.0.1:2376",
            Map.of("DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString()));

    BuilderConnectionException error =
        assertThrows(BuilderConnectionException.class, () -> BuilderConnections.open(endpoint));

    assertEquals(
        "cannot set up TLS for docker://tcp://127.0.0.1:2376: cannot use the TLS CA certificate "
            + certs.resolve("ca.pem") + ": file not found",
        error.getMessage());
  }
}
