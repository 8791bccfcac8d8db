package dev.depotrunner.buildkit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryHostsTest {

  @ParameterizedTest
  @CsvSource({
    "registry-1.docker.io, https://index.docker.io/v1/",
    "docker.io, https://index.docker.io/v1/",
    "index.docker.io, https://index.docker.io/v1/",
    "https://index.docker.io/v1/, https://index.docker.io/v1/",
    "https://docker.io, https://index.docker.io/v1/",
    "ghcr.io, ghcr.io",
    "https://ghcr.io/v2/, ghcr.io",
    "http://localhost:5000, localhost:5000",
    "localhost:5000/team/app, localhost:5000",
    "127.0.0.1:5000, 127.0.0.1:5000",
    "'https://[::1]:5000/v2/', '[::1]:5000'",
    "'https://[::1]/v2/', '::1'",
  })
  void configKeyNormalizes(String host, String expected) {
    assertEquals(expected, RegistryHosts.configKey(host));
  }
}
