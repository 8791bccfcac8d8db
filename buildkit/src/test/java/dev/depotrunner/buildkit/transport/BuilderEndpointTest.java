package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.transport.BuilderEndpoint.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuilderEndpointTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          unix:///run/buildkit/buildkitd.sock          | BUILDKITD     | unix:///run/buildkit/buildkitd.sock
          unix:///run/buildkit/../buildkit/b.sock      | BUILDKITD     | unix:///run/buildkit/b.sock
          tcp://127.0.0.1:1234                         | BUILDKITD     | tcp://127.0.0.1:1234
          tcp://buildkit.internal:443/                 | BUILDKITD     | tcp://buildkit.internal:443
          tcp://[::1]:1234                             | BUILDKITD     | tcp://[::1]:1234
          '  tcp://localhost:1234  '                   | BUILDKITD     | tcp://localhost:1234
          docker://                                    | DOCKER_ENGINE | docker://unix:///var/run/docker.sock
          docker://unix:///run/user/1000/docker.sock   | DOCKER_ENGINE | docker://unix:///run/user/1000/docker.sock
          docker://tcp://127.0.0.1:2375                | DOCKER_ENGINE | docker://tcp://127.0.0.1:2375
          docker://tcp://docker                        | DOCKER_ENGINE | docker://tcp://docker:2375
          """)
  void parseValidForms(String value, Kind kind, String canonical) {
    BuilderEndpoint endpoint = BuilderEndpoint.parse(value, NO_ENV);

    assertEquals(kind, endpoint.kind());
    assertEquals(canonical, endpoint.toString());
    assertEquals(endpoint, BuilderEndpoint.parse(canonical, NO_ENV));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                                 | it is not a builder address
          /run/buildkit/buildkitd.sock       | it is not a builder address
          unix://                            | the socket path is missing
          unix://run/buildkitd.sock          | the socket path must be absolute
          tcp://127.0.0.1                    | the port is missing, as in tcp://127.0.0.1:1234
          tcp://:1234                        | the host is missing
          tcp://127.0.0.1:0                  | the port must be between 1 and 65535
          tcp://127.0.0.1:70000              | the port must be between 1 and 65535
          tcp://127.0.0.1:1234/path          | a tcp address takes no path
          tcp://user@127.0.0.1:1234          | without user, query or fragment
          tcp://127.0.0.1:1234?x=1           | without user, query or fragment
          tcp://bad host:1234                | it is not a valid tcp://host:port address
          ssh://user@host                    | the scheme ssh:// is not supported
          docker-container://buildx_buildkit | the scheme docker-container:// is not supported
          docker://ssh://user@host           | the scheme ssh:// is not supported
          docker://npipe:////./pipe/docker   | the scheme npipe:// is not supported
          docker://unix://docker.sock        | the socket path must be absolute
          """)
  void parseRejectsInvalidForms(String value, String reason) {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> BuilderEndpoint.parse(value, NO_ENV));

    String message = error.getMessage();
    assertTrue(message.startsWith("invalid builder address \"" + value + "\": "), message);
    assertTrue(message.contains(reason), message);
    assertTrue(message.contains("use unix:///path/to/buildkitd.sock, tcp://host:port, docker://"), message);
    assertFalse(message.contains("\n"), message);
  }

  @Test
  void parseDockerUsesDockerHost() {
    BuilderEndpoint endpoint =
        BuilderEndpoint.parse("docker://", Map.of("DOCKER_HOST", "unix:///run/depot/docker.sock"));

    assertEquals(Kind.DOCKER_ENGINE, endpoint.kind());
    assertEquals(Optional.of(Path.of("/run/depot/docker.sock")), endpoint.socketPath());
  }

  @Test
  void parseDockerNamesInvalidDockerHost() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> BuilderEndpoint.parse("docker://", Map.of("DOCKER_HOST", "ssh://me@host")));

    assertTrue(error.getMessage().startsWith("invalid DOCKER_HOST \"ssh://me@host\""), error.getMessage());
  }

  @Test
  void parseDockerTlsFromGitlabEnvironment() {
    Map<String, String> env =
        Map.of(
            "DOCKER_HOST", "tcp://docker:2376",
            "DOCKER_TLS_VERIFY", "1",
            "DOCKER_CERT_PATH", "/certs/client");

    BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://", env);

    assertEquals("docker://tcp://docker:2376", endpoint.toString());
    assertEquals(Optional.of("docker"), endpoint.host());
    assertEquals(2376, endpoint.port());
    TlsConfig tls = endpoint.tls().orElseThrow();
    assertTrue(tls.verifyServer());
    assertEquals(Optional.of(Path.of("/certs/client/ca.pem")), tls.caCertificate());
    assertEquals(Optional.of(Path.of("/certs/client/cert.pem")), tls.clientCertificate());
    assertEquals(Optional.of(Path.of("/certs/client/key.pem")), tls.clientKey());
  }

  @Test
  void parseDockerTlsDefaultsPortTo2376() {
    Map<String, String> env = Map.of("DOCKER_TLS_VERIFY", "1", "HOME", "/home/ci");

    BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://tcp://docker", env);

    assertEquals(2376, endpoint.port());
    assertEquals(
        Optional.of(Path.of("/home/ci/.docker/ca.pem")), endpoint.tls().orElseThrow().caCertificate());
  }

  @Test
  void parseDockerTlsWithoutVerify() {
    Map<String, String> env = Map.of("DOCKER_TLS", "1", "DOCKER_CERT_PATH", "/certs");

    TlsConfig tls = BuilderEndpoint.parse("docker://tcp://127.0.0.1:2376", env).tls().orElseThrow();

    assertFalse(tls.verifyServer());
  }

  @Test
  void parseDockerTlsIgnoredForUnixSocket() {
    Map<String, String> env = Map.of("DOCKER_TLS_VERIFY", "1");

    BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://unix:///var/run/docker.sock", env);

    assertTrue(endpoint.tls().isEmpty());
  }

  @Test
  void parseDockerPlainWithoutTlsVariables() {
    Map<String, String> env = Map.of("DOCKER_CERT_PATH", "/certs");

    BuilderEndpoint endpoint = BuilderEndpoint.parse("docker://tcp://127.0.0.1:2375", env);

    assertTrue(endpoint.tls().isEmpty());
  }

  @Test
  void withTlsAddsSettingsToTcp() {
    TlsConfig tls = TlsConfig.fromDirectory(Path.of("/etc/buildkit/certs")).withServerName("buildkitd");

    BuilderEndpoint endpoint = BuilderEndpoint.parse("tcp://127.0.0.1:1234", NO_ENV).withTls(tls);

    assertEquals(Optional.of(tls), endpoint.tls());
    assertEquals(Optional.of("buildkitd"), endpoint.tls().orElseThrow().serverName());
  }

  @Test
  void withTlsRejectsUnixSocket() {
    BuilderEndpoint endpoint = BuilderEndpoint.parse("unix:///run/buildkit/buildkitd.sock", NO_ENV);
    TlsConfig tls = TlsConfig.fromDirectory(Path.of("/certs"));

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> endpoint.withTls(tls));

    assertTrue(error.getMessage().contains("unix:///run/buildkit/buildkitd.sock"), error.getMessage());
  }

  @Test
  void tlsFilesRequireClientPairTogether() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> TlsConfig.fromFiles(Path.of("ca.pem"), Path.of("cert.pem"), null));

    assertTrue(error.getMessage().contains("must be given together"), error.getMessage());
  }

  @Test
  void fromEnvironmentPrefersBuildkitHost(@TempDir Path dir) {
    Map<String, String> env =
        Map.of("BUILDKIT_HOST", "tcp://127.0.0.1:1234", "DOCKER_HOST", "unix:///var/run/docker.sock");

    BuilderEndpoint endpoint = BuilderEndpoint.fromEnvironment(env, dir.resolve("docker.sock")).orElseThrow();

    assertEquals("tcp://127.0.0.1:1234", endpoint.toString());
  }

  @Test
  void fromEnvironmentUsesDockerHost(@TempDir Path dir) {
    Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375");

    BuilderEndpoint endpoint = BuilderEndpoint.fromEnvironment(env, dir.resolve("docker.sock")).orElseThrow();

    assertEquals("docker://tcp://127.0.0.1:2375", endpoint.toString());
  }

  @Test
  void fromEnvironmentFallsBackToDockerSocket(@TempDir Path dir) throws IOException {
    Path socket = Files.createFile(dir.resolve("docker.sock"));

    BuilderEndpoint endpoint = BuilderEndpoint.fromEnvironment(NO_ENV, socket).orElseThrow();

    assertEquals("docker://unix://" + socket, endpoint.toString());
  }

  @Test
  void fromEnvironmentEmptyWithoutBuilder(@TempDir Path dir) {
    assertTrue(BuilderEndpoint.fromEnvironment(NO_ENV, dir.resolve("docker.sock")).isEmpty());
  }

  @Test
  void fromEnvironmentNamesInvalidBuildkitHost(@TempDir Path dir) {
    Map<String, String> env = Map.of("BUILDKIT_HOST", "docker-container://buildx_buildkit_default");

    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> BuilderEndpoint.fromEnvironment(env, dir.resolve("docker.sock")));

    assertTrue(
        error.getMessage().startsWith("invalid BUILDKIT_HOST \"docker-container://buildx_buildkit_default\""),
        error.getMessage());
  }

  @Test
  void fromEnvironmentAcceptsDockerFormInBuildkitHost(@TempDir Path dir) {
    Map<String, String> env = Map.of("BUILDKIT_HOST", "docker://unix:///run/depot/docker28.sock");

    BuilderEndpoint endpoint = BuilderEndpoint.fromEnvironment(env, dir.resolve("docker.sock")).orElseThrow();

    assertEquals(Kind.DOCKER_ENGINE, endpoint.kind());
    assertEquals(Optional.of(Path.of("/run/depot/docker28.sock")), endpoint.socketPath());
  }
}
