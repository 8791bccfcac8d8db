package dev.depotrunner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

  @TempDir Path dockerConfig;

  @Test
  void pushPrefersUsernameAndPassword() throws Exception {
    Credentials credentials = Credentials.fromEnvironment(Map.of(
        "DEPOT_PUSH_REGISTRY_USERNAME", "ci",
        "DEPOT_PUSH_REGISTRY_PASSWORD", "secret",
        "DEPOT_PUSH_REGISTRY_AUTH", encode("other:value")));

    assertEquals(Optional.of(new RegistryCredential("ci", "secret")),
        credentials.forPush("registry.example:5000"));
  }

  @Test
  void pushDecodesAuthVariable() throws Exception {
    Credentials credentials =
        Credentials.fromEnvironment(Map.of("DEPOT_PUSH_REGISTRY_AUTH", encode("ci:pa:ss")));

    assertEquals(Optional.of(new RegistryCredential("ci", "pa:ss")),
        credentials.forPush("registry.example"));
  }

  @Test
  void invalidAuthVariableNamesVariable() {
    Credentials credentials =
        Credentials.fromEnvironment(Map.of("DEPOT_PUSH_REGISTRY_AUTH", encode("no-colon")));

    RegistryException error =
        assertThrows(RegistryException.class, () -> credentials.forPush("registry.example"));

    assertTrue(error.getMessage().contains("DEPOT_PUSH_REGISTRY_AUTH"), error.getMessage());
  }

  @Test
  void dockerConfigAuthsServePushAndPull() throws Exception {
    Files.writeString(dockerConfig.resolve("config.json"), """
        {"auths":{"127.0.0.1:5001":{"auth":"%s"}}}
        """.formatted(encode("depot-runner:from-config")));
    Credentials credentials =
        Credentials.fromEnvironment(Map.of("DOCKER_CONFIG", dockerConfig.toString()));

    assertEquals(Optional.of(new RegistryCredential("depot-runner", "from-config")),
        credentials.forPull("127.0.0.1:5001"));
    assertEquals(Optional.of(new RegistryCredential("depot-runner", "from-config")),
        credentials.forPush("127.0.0.1:5001"));
    assertEquals(Optional.empty(), credentials.forPull("127.0.0.1:5002"));
  }

  @Test
  void pullIgnoresDepotPushVariables() throws Exception {
    Credentials credentials = Credentials.fromEnvironment(Map.of(
        "DOCKER_CONFIG", dockerConfig.toString(),
        "DEPOT_PUSH_REGISTRY_USERNAME", "ci",
        "DEPOT_PUSH_REGISTRY_PASSWORD", "secret"));

    assertEquals(Optional.empty(), credentials.forPull("registry.example"));
  }

  @Test
  void credentialToStringHidesPassword() {
    String text = new RegistryCredential("ci", "hunter2-secret").toString();

    assertTrue(text.contains("ci"), text);
    assertFalse(text.contains("hunter2-secret"), text);
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
