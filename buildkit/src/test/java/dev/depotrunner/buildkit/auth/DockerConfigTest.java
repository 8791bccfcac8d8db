package dev.depotrunner.buildkit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {

  @TempDir Path temp;

  /**
   * A credential helper that logs its argument and stdin, then responds by server URL like a real
   * helper: JSON for known servers, the not-found message or a failure otherwise.
   */
  static final String HELPER_SCRIPT =
      """
      #!/bin/sh
      IFS= read -r input
      printf '%s %s\\n' "$1" "$input" >> "$HELPER_LOG"
      case "$input" in
        helper.example)
          echo '{"ServerURL":"helper.example","Username":"helper-user","Secret":"helper-pass"}' ;;
        token.example)
          echo '{"ServerURL":"token.example","Username":"<token>","Secret":"helper-refresh"}' ;;
        https://index.docker.io/v1/)
          echo '{"serverurl":"https://index.docker.io/v1/","username":"hub-user","secret":"hub-pass"}' ;;
        broken.example)
          echo 'keychain is locked'; exit 1 ;;
        garbage.example)
          echo 'not json at all s3cret' ;;
        *)
          echo 'credentials not found in native keychain'; exit 1 ;;
      esac
      """;

  private static String basicAuth(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private Path writeConfig(String json) throws IOException {
    Path directory = Files.createDirectories(temp.resolve("docker"));
    Files.writeString(directory.resolve("config.json"), json);
    return directory;
  }

  private Path installHelper(String name) throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path helper = bin.resolve("docker-credential-" + name);
    Files.writeString(helper, HELPER_SCRIPT);
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private Map<String, String> environment(Path bin) {
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", bin + ":/usr/bin:/bin");
    environment.put("HELPER_LOG", temp.resolve("helper.log").toString());
    return environment;
  }

  private List<String> helperLog() throws IOException {
    Path log = temp.resolve("helper.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  @Test
  void authsEntryKinds() throws IOException {
    Path directory =
        writeConfig(
            """
            {
              "auths": {
                "encoded.example": {"auth": "%s"},
                "plain.example": {"username": "plain-user", "password": "plain-pass"},
                "identity.example": {"identitytoken": "refresh-me"},
                "static.example": {"registrytoken": "bearer-me"},
                "https://legacy.example:5000/v1/": {"auth": "%s"},
                "https://index.docker.io/v1/": {"auth": "%s"}
              }
            }
            """
                .formatted(
                    basicAuth("encoded-user", "pa:ss"),
                    basicAuth("legacy-user", "legacy-pass"),
                    basicAuth("hub-user", "hub-pass")));
    DockerConfig config = DockerConfig.load(directory, Map.of("PATH", ""));

    assertEquals(RegistryCredentials.basic("encoded-user", "pa:ss"), config.credentials("encoded.example"));
    assertEquals(RegistryCredentials.basic("plain-user", "plain-pass"), config.credentials("plain.example"));
    assertEquals(RegistryCredentials.fromIdentityToken("refresh-me"), config.credentials("identity.example"));
    assertEquals(RegistryCredentials.fromRegistryToken("bearer-me"), config.credentials("static.example"));
    assertEquals(
        RegistryCredentials.basic("legacy-user", "legacy-pass"),
        config.credentials("legacy.example:5000"));
    assertEquals(RegistryCredentials.none(), config.credentials("unknown.example"));
  }

  @Test
  void dockerHubHostNames() throws IOException {
    Path directory =
        writeConfig(
            """
            {"auths": {"https://index.docker.io/v1/": {"auth": "%s"}}}
            """
                .formatted(basicAuth("hub-user", "hub-pass")));
    DockerConfig config = DockerConfig.load(directory, Map.of());
    RegistryCredentials expected = RegistryCredentials.basic("hub-user", "hub-pass");

    assertEquals(expected, config.credentials("registry-1.docker.io"));
    assertEquals(expected, config.credentials("docker.io"));
    assertEquals(expected, config.credentials("index.docker.io"));
    assertEquals(expected, config.credentials("https://index.docker.io/v1/"));
  }

  @Test
  void dockerHubAliasKey() throws IOException {
    Path directory =
        writeConfig(
            """
            {"auths": {"docker.io": {"username": "alias-user", "password": "alias-pass"}}}
            """);
    DockerConfig config = DockerConfig.load(directory, Map.of());

    assertEquals(
        RegistryCredentials.basic("alias-user", "alias-pass"),
        config.credentials("registry-1.docker.io"));
  }

  @Test
  void credentialsStoreHelper() throws IOException {
    Path bin = installHelper("test");
    Path directory =
        writeConfig(
            """
            {"credsStore": "test",
             "auths": {"helper.example": {}, "static.example": {"registrytoken": "kept"}}}
            """);
    DockerConfig config = DockerConfig.load(directory, environment(bin));

    assertEquals(
        RegistryCredentials.basic("helper-user", "helper-pass"), config.credentials("helper.example"));
    assertEquals(
        RegistryCredentials.fromIdentityToken("helper-refresh"), config.credentials("token.example"));
    assertEquals(
        RegistryCredentials.basic("hub-user", "hub-pass"), config.credentials("registry-1.docker.io"));
    assertEquals(
        RegistryCredentials.fromRegistryToken("kept"), config.credentials("static.example"));
    assertEquals(RegistryCredentials.none(), config.credentials("missing.example"));
    assertEquals(
        List.of(
            "get helper.example",
            "get token.example",
            "get https://index.docker.io/v1/",
            "get static.example",
            "get missing.example"),
        helperLog());
  }

  @Test
  void credentialHelpersPerHost() throws IOException {
    Path bin = installHelper("test");
    Path directory =
        writeConfig(
            """
            {"credHelpers": {"helper.example": "test"},
             "auths": {"plain.example": {"username": "plain-user", "password": "plain-pass"}}}
            """);
    DockerConfig config = DockerConfig.load(directory, environment(bin));

    assertEquals(
        RegistryCredentials.basic("helper-user", "helper-pass"), config.credentials("helper.example"));
    assertEquals(
        RegistryCredentials.basic("plain-user", "plain-pass"), config.credentials("plain.example"));
    assertEquals(List.of("get helper.example"), helperLog());
  }

  @Test
  void helperFailureNamesHelper() throws IOException {
    Path bin = installHelper("test");
    Path directory = writeConfig("{\"credsStore\": \"test\"}");
    DockerConfig config = DockerConfig.load(directory, environment(bin));

    var failure = assertThrows(CredentialsException.class, () -> config.credentials("broken.example"));
    assertTrue(failure.getMessage().contains("docker-credential-test"), failure.getMessage());
    assertTrue(failure.getMessage().contains("keychain is locked"), failure.getMessage());
    assertTrue(failure.getMessage().contains("broken.example"), failure.getMessage());
  }

  @Test
  void helperInvalidOutputHidden() throws IOException {
    Path bin = installHelper("test");
    Path directory = writeConfig("{\"credsStore\": \"test\"}");
    DockerConfig config = DockerConfig.load(directory, environment(bin));

    var failure = assertThrows(CredentialsException.class, () -> config.credentials("garbage.example"));
    assertTrue(failure.getMessage().contains("invalid JSON"), failure.getMessage());
    assertFalse(failure.getMessage().contains("s3cret"), failure.getMessage());
  }

  @Test
  void missingHelperNamesSetting() throws IOException {
    Path directory = writeConfig("{\"credHelpers\": {\"ghcr.io\": \"absent\"}}");
    DockerConfig config = DockerConfig.load(directory, Map.of("PATH", temp.toString()));

    var failure = assertThrows(CredentialsException.class, () -> config.credentials("ghcr.io"));
    assertTrue(failure.getMessage().contains("docker-credential-absent"), failure.getMessage());
    assertTrue(failure.getMessage().contains("credHelpers[\"ghcr.io\"]"), failure.getMessage());
  }

  @Test
  void environmentAuthConfigFirst() throws IOException {
    Path directory =
        writeConfig(
            """
            {"auths": {"env.example": {"username": "file-user", "password": "file-pass"},
                       "file.example": {"username": "file-user", "password": "file-pass"}}}
            """);
    String variable =
        "{\"auths\": {\"env.example\": {\"auth\": \"%s\"}}}".formatted(basicAuth("env-user", "env-pass"));
    DockerConfig config = DockerConfig.load(directory, Map.of("DOCKER_AUTH_CONFIG", variable));

    assertEquals(RegistryCredentials.basic("env-user", "env-pass"), config.credentials("env.example"));
    assertEquals(RegistryCredentials.basic("file-user", "file-pass"), config.credentials("file.example"));
  }

  @Test
  void environmentAuthConfigMatchesHostname() throws IOException {
    String variable =
        "{\"auths\": {\"https://ghcr.io/v2/\": {\"auth\": \"%s\"}, \"docker.io\": {\"auth\": \"%s\"}}}"
            .formatted(basicAuth("ghcr-user", "ghcr-pass"), basicAuth("hub-user", "hub-pass"));
    DockerConfig config = DockerConfig.load(temp.resolve("absent"), Map.of("DOCKER_AUTH_CONFIG", variable));

    assertEquals(RegistryCredentials.basic("ghcr-user", "ghcr-pass"), config.credentials("ghcr.io"));
    assertEquals(
        RegistryCredentials.basic("hub-user", "hub-pass"), config.credentials("registry-1.docker.io"));
  }

  @Test
  void environmentAuthConfigInvalidIgnored() throws IOException {
    Path directory =
        writeConfig(
            """
            {"auths": {"env.example": {"username": "file-user", "password": "file-pass"}}}
            """);
    String variable = "{\"auths\": {\"env.example\": {\"username\": \"not-allowed\"}}}";
    DockerConfig config = DockerConfig.load(directory, Map.of("DOCKER_AUTH_CONFIG", variable));

    assertEquals(RegistryCredentials.basic("file-user", "file-pass"), config.credentials("env.example"));
  }

  @Test
  void malformedConfigIsEmpty() throws IOException {
    Path directory = writeConfig("{\"auths\": {\"a.example\": {\"auth\": \"s3cret\"");
    DockerConfig config = DockerConfig.load(directory, Map.of());

    assertEquals(RegistryCredentials.none(), config.credentials("a.example"));
  }

  @Test
  void invalidAuthEntrySkipped() throws IOException {
    Path directory =
        writeConfig(
            """
            {"auths": {"bad.example": {"auth": "%s"}, "good.example": {"auth": "%s"}}}
            """
                .formatted(
                    Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                    basicAuth("good-user", "good-pass")));
    DockerConfig config = DockerConfig.load(directory, Map.of());

    assertEquals(RegistryCredentials.none(), config.credentials("bad.example"));
    assertEquals(RegistryCredentials.basic("good-user", "good-pass"), config.credentials("good.example"));
  }

  @Test
  void missingConfigFileIsEmpty() throws CredentialsException {
    DockerConfig config = DockerConfig.load(temp.resolve("absent"), Map.of());

    assertEquals(RegistryCredentials.none(), config.credentials("ghcr.io"));
  }

  @Test
  void defaultDirectoryFromEnvironment() {
    assertEquals(
        Path.of("/custom/docker"),
        DockerConfig.defaultDirectory(Map.of("DOCKER_CONFIG", "/custom/docker", "HOME", "/home/u")));
    assertEquals(Path.of("/home/u/.docker"), DockerConfig.defaultDirectory(Map.of("HOME", "/home/u")));
  }

  @Test
  void defaultStoreDetectedWithoutAuths() throws IOException {
    Path bin = installHelper("secretservice");
    Path directory = writeConfig("{}");
    Map<String, String> environment = environment(bin);
    environment.put("PATH", bin.toString());
    DockerConfig config = DockerConfig.load(directory, environment);

    assertEquals(
        RegistryCredentials.basic("helper-user", "helper-pass"), config.credentials("helper.example"));
  }

  @Test
  void decodeAuthTrimsNulls() throws CredentialsException {
    String encoded =
        Base64.getEncoder().encodeToString("user:pass\u0000\u0000".getBytes(StandardCharsets.UTF_8));

    String[] decoded = DockerConfig.decodeAuth(encoded);

    assertEquals("user", decoded[0]);
    assertEquals("pass", decoded[1]);
  }
}
