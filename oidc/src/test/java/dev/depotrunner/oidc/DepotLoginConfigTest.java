package dev.depotrunner.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepotLoginConfigTest {

  @TempDir
  Path temp;

  private static Environment environment(Map<String, String> variables) {
    return new Environment(variables);
  }

  @Test
  void location_usesXdgConfigHome() {
    Path location = DepotLoginConfig.location(
        environment(Map.of("HOME", "/home/ci", "XDG_CONFIG_HOME", "/etc/ci-config")), "Linux");

    assertEquals(Path.of("/etc/ci-config/depot/depot.yaml"), location);
  }

  @Test
  void location_expandsTildeInXdgConfigHome() {
    Path location = DepotLoginConfig.location(
        environment(Map.of("HOME", "/home/ci", "XDG_CONFIG_HOME", "~/conf")), "Linux");

    assertEquals(Path.of("/home/ci/conf/depot/depot.yaml"), location);
  }

  @Test
  void location_ignoresRelativeXdgConfigHome() {
    Path location = DepotLoginConfig.location(
        environment(Map.of("HOME", "/home/ci", "XDG_CONFIG_HOME", "conf")), "Linux");

    assertEquals(Path.of("/home/ci/.config/depot/depot.yaml"), location);
  }

  @Test
  void location_followsMacOsDefault() {
    Path location = DepotLoginConfig.location(environment(Map.of("HOME", "/Users/ci")), "Mac OS X");

    assertEquals(Path.of("/Users/ci/Library/Application Support/depot/depot.yaml"), location);
  }

  @Test
  void location_withoutHome_usesRoot() {
    assertEquals(Path.of("/.config/depot/depot.yaml"),
        DepotLoginConfig.location(environment(Map.of()), "Linux"));
  }

  @Test
  void readApiToken_readsSavedToken() throws Exception {
    Path file = temp.resolve("depot.yaml");
    Files.writeString(file, "api_token: \"dep_saved\"\norg_id: org-1\n");

    assertEquals(Optional.of("dep_saved"), DepotLoginConfig.readApiToken(file));
  }

  @Test
  void readApiToken_missingFile_isEmpty() throws Exception {
    assertEquals(Optional.empty(), DepotLoginConfig.readApiToken(temp.resolve("absent.yaml")));
  }

  @Test
  void readApiToken_afterLogout_isEmpty() throws Exception {
    Path file = temp.resolve("depot.yaml");
    Files.writeString(file, "api_token: \"\"\norg_id: \"\"\n");

    assertEquals(Optional.empty(), DepotLoginConfig.readApiToken(file));
  }

  @Test
  void readApiToken_emptyFile_isEmpty() throws Exception {
    Path file = temp.resolve("depot.yaml");
    Files.writeString(file, "");

    assertEquals(Optional.empty(), DepotLoginConfig.readApiToken(file));
  }

  @Test
  void readApiToken_invalidYaml_hidesContent() throws Exception {
    Path file = temp.resolve("depot.yaml");
    Files.writeString(file, "api_token: \"dep_secret_77\n  : [\n");

    IdentityException error =
        assertThrows(IdentityException.class, () -> DepotLoginConfig.readApiToken(file));

    assertTrue(error.getMessage().startsWith("invalid YAML in the depot login config " + file),
        error.getMessage());
    assertFalse(error.getMessage().contains("dep_secret_77"), error.getMessage());
  }

  @Test
  void resolve_readsConfigUnderXdgConfigHome() throws Exception {
    Path config = temp.resolve("xdg/depot/depot.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "api_token: dep_from_xdg\n");
    Map<String, String> environment = Jobs.environment(temp.resolve("home"));
    environment.put("XDG_CONFIG_HOME", temp.resolve("xdg").toString());

    DepotToken token = Jobs.resolve(environment).token().orElseThrow();

    assertEquals("depot login", token.source());
    assertEquals("dep_from_xdg", token.value());
  }

  @Test
  void writeOrganization_keepsApiToken() throws Exception {
    Path file = temp.resolve("depot.yaml");
    Files.writeString(file, "api_token: dep_kept\norg_id: org-old\n");

    DepotLoginConfig.writeOrganization(file, "org-new");

    assertEquals(Optional.of("org-new"), DepotLoginConfig.readOrganization(file));
    assertEquals(Optional.of("dep_kept"), DepotLoginConfig.readApiToken(file));
    assertFalse(Files.readString(file).startsWith("---"), Files.readString(file));
  }

  @Test
  void writeOrganization_createsPrivateFile() throws Exception {
    Path file = temp.resolve("config/depot/depot.yaml");

    DepotLoginConfig.writeOrganization(file, "org-1");

    assertEquals("org_id: \"org-1\"\n", Files.readString(file));
    assertEquals("rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void readOrganization_missingFileIsEmpty() throws Exception {
    assertEquals(Optional.empty(), DepotLoginConfig.readOrganization(temp.resolve("absent.yaml")));
  }
}
