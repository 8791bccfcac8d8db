package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.session.Session;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** buildkitd over TCP with mutual TLS, against {@link FakeBuildkitd} with the test certificates. */
@Timeout(60)
class BuildkitdTlsTest {

  private static final Path TLS = PemFilesTest.TLS;

  private FakeBuildkitd buildkitd;

  @BeforeEach
  void startBuildkitd() throws Exception {
    var serverTls =
        GrpcSslContexts.forServer(TLS.resolve("server.pem").toFile(), TLS.resolve("server-key-pkcs8.pem").toFile())
            .trustManager(TLS.resolve("ca.pem").toFile())
            .clientAuth(ClientAuth.REQUIRE)
            .build();
    buildkitd = FakeBuildkitd.onTcp(serverTls);
  }

  @AfterEach
  void stopBuildkitd() throws Exception {
    buildkitd.close();
  }

  private BuilderEndpoint endpoint(TlsConfig tls) {
    return BuilderEndpoint.parse("tcp://127.0.0.1:" + buildkitd.port(), Map.of()).withTls(tls);
  }

  private static TlsConfig clientTls() {
    return TlsConfig.fromFiles(
        TLS.resolve("ca.pem"), TLS.resolve("client.pem"), TLS.resolve("client-key-pkcs1.pem"));
  }

  @Test
  void mutualTlsCarriesControlAndSession() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(endpoint(clientTls()));
        AttachedSession attached = connection.attach(Session.builder("tls").build())) {
      var fake = buildkitd.awaitSession();

      var health =
          HealthGrpc.newBlockingStub(fake.channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());

      assertEquals(FakeBuildkitd.VERSION, connection.version().buildkit().orElseThrow());
      assertEquals(ServingStatus.SERVING, health.getStatus());
    }
  }

  @Test
  void serverNameOverrideVerifiesCertificateName() throws Exception {
    try (BuilderConnection connection =
        BuilderConnections.open(endpoint(clientTls().withServerName("buildkitd")))) {
      assertEquals(FakeBuildkitd.VERSION, connection.version().buildkit().orElseThrow());
    }
  }

  @Test
  void wrongServerNameFailsHandshake() {
    BuilderEndpoint endpoint = endpoint(clientTls().withServerName("elsewhere"));

    BuilderConnectionException error =
        assertThrows(
            BuilderConnectionException.class, () -> BuilderConnections.open(endpoint, Duration.ofSeconds(10)));

    assertTrue(
        error.getMessage().startsWith("cannot connect to BuildKit at " + endpoint + ": TLS handshake failed"),
        error.getMessage());
    assertTrue(error.getMessage().endsWith("check the TLS CA, client certificate, key and server name against buildkitd's certificates"), error.getMessage());
  }

  private static TlsConfig clientTlsInMemory() throws Exception {
    return TlsConfig.fromPem(
        Files.readString(TLS.resolve("ca.pem")),
        Files.readString(TLS.resolve("client.pem")),
        Files.readString(TLS.resolve("client-key-pkcs1.pem")));
  }

  @Test
  void pemInMemoryCarriesMutualTls() throws Exception {
    try (BuilderConnection connection =
            BuilderConnections.open(endpoint(clientTlsInMemory().withServerName("buildkitd")));
        AttachedSession attached = connection.attach(Session.builder("tls").build())) {
      buildkitd.awaitSession();

      assertEquals(FakeBuildkitd.VERSION, connection.version().buildkit().orElseThrow());
    }
  }

  @Test
  void pemInMemoryNeverShowsKey() throws Exception {
    String key = Files.readString(TLS.resolve("client-key-pkcs1.pem"));
    TlsConfig tls = clientTlsInMemory().withServerName("buildkitd");

    assertFalse(tls.toString().contains("PRIVATE KEY"), tls.toString());
    assertEquals("TlsConfig{ca=PEM in memory, client pair=PEM in memory, serverName=buildkitd}", tls.toString());
    assertFalse(endpoint(tls).toString().contains(key.substring(40, 80)));
  }

  @Test
  void pemInMemoryRejectsHalfPair() {
    var error = assertThrows(IllegalArgumentException.class, () -> TlsConfig.fromPem(null, "cert", ""));

    assertTrue(error.getMessage().contains("must be given together"), error.getMessage());
  }

  @Test
  void invalidPemInMemoryIsReported() throws Exception {
    BuilderEndpoint endpoint = endpoint(TlsConfig.fromPem(
        Files.readString(TLS.resolve("ca.pem")), Files.readString(TLS.resolve("client.pem")), "not a key"));

    BuilderConnectionException error =
        assertThrows(BuilderConnectionException.class, () -> BuilderConnections.open(endpoint));

    assertEquals(
        "cannot set up TLS for " + endpoint + ": cannot use the TLS client key (PEM text from the builder's"
            + " settings): it contains no PEM private key",
        error.getMessage());
  }

  @Test
  void missingClientKeyNamesFile() {
    Path missing = TLS.resolve("absent-key.pem");
    BuilderEndpoint endpoint =
        endpoint(TlsConfig.fromFiles(TLS.resolve("ca.pem"), TLS.resolve("client.pem"), missing));

    BuilderConnectionException error =
        assertThrows(BuilderConnectionException.class, () -> BuilderConnections.open(endpoint));

    assertEquals(
        "cannot set up TLS for " + endpoint + ": cannot use the TLS client key " + missing + ": file not found",
        error.getMessage());
  }
}
