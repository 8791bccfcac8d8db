package dev.depotrunner.oidc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The config file where {@code depot login} stores its token and {@code depot org switch} the
 * current organization: {@code depot/depot.yaml} under the XDG config home, with the keys {@code
 * api_token} and {@code org_id}. The Depot CLI finds the file with github.com/adrg/xdg v0.4.0,
 * whose rules {@link #location} follows.
 */
public final class DepotLoginConfig {

  private static final String RELATIVE_PATH = "depot/depot.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  // Without the "---" line, as the Depot CLI's YAML writer leaves it out.
  private static final ObjectMapper YAML_WRITER = new ObjectMapper(
      YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

  private DepotLoginConfig() {}

  /** Returns the config file's path for {@code environment} on this machine's operating system. */
  public static Path location(Map<String, String> environment) {
    return location(new Environment(environment), System.getProperty("os.name", ""));
  }

  /**
   * Returns the config file's path. XDG_CONFIG_HOME counts only when it is absolute after a leading
   * {@code ~} is expanded; otherwise the platform's default config home under HOME is used.
   */
  static Path location(Environment environment, String osName) {
    String home = environment.get("HOME").orElse("/");

    Optional<Path> configured = environment.get("XDG_CONFIG_HOME")
        .map(value -> expandHome(value, home))
        .map(Path::of)
        .filter(Path::isAbsolute);
    if (configured.isPresent()) {
      return configured.get().resolve(RELATIVE_PATH);
    }

    String os = osName.toLowerCase(Locale.ROOT);
    Path configHome;
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      configHome = Path.of(home, "Library", "Application Support");
    } else if (os.startsWith("windows")) {
      configHome = Path.of(environment.get("LOCALAPPDATA").orElse(home));
    } else {
      configHome = Path.of(home, ".config");
    }
    return configHome.resolve(RELATIVE_PATH);
  }

  /**
   * Reads the saved token. A missing file or an empty {@code api_token} (what {@code depot logout}
   * leaves behind) is no token; an unreadable or malformed file is an error.
   */
  public static Optional<String> readApiToken(Path file) throws IdentityException {
    return readValue(file, "api_token");
  }

  /**
   * Reads the current organization ID, which {@code depot org switch} saves. A missing file or an
   * empty {@code org_id} is no organization.
   */
  public static Optional<String> readOrganization(Path file) throws IdentityException {
    return readValue(file, "org_id");
  }

  /**
   * Saves {@code organizationId} as the current organization, keeping the file's other keys. The
   * file is created if missing, with its folder, and its permissions set to 0600 as the Depot CLI
   * sets them, where the file system supports POSIX permissions.
   */
  public static void writeOrganization(Path file, String organizationId) throws IdentityException {
    ObjectNode root = readObject(file).orElseGet(YAML::createObjectNode);
    root.put("org_id", organizationId);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, YAML_WRITER.writeValueAsBytes(root));
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new IdentityException("failed to write the depot config " + file + ": " + e
          + "; check that its folder is writable", e);
    }
  }

  private static Optional<String> readValue(Path file, String key) throws IdentityException {
    Optional<ObjectNode> root = readObject(file);
    if (root.isEmpty()) {
      return Optional.empty();
    }
    JsonNode value = root.get().get(key);
    if (value == null || !value.isValueNode() || value.asText().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  /** Reads the file's top-level mapping; a missing file or one without a mapping is empty. */
  private static Optional<ObjectNode> readObject(Path file) throws IdentityException {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IdentityException("failed to read the depot login config " + file + ": " + e
          + "; fix its permissions or delete it and run depot login again", e);
    }

    JsonNode root;
    try {
      root = YAML.readTree(content);
    } catch (JacksonException e) {
      // The parser's message can quote the file's lines, token included, so it is left out.
      String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new IdentityException("invalid YAML in the depot login config " + file + line
          + "; delete the file and run depot login again");
    } catch (IOException e) {
      throw new IdentityException("failed to read the depot login config " + file + ": " + e, e);
    }

    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    return Optional.of((ObjectNode) root);
  }

  private static String expandHome(String value, String home) {
    if (value.equals("~")) {
      return home;
    }
    if (value.startsWith("~/")) {
      return home + value.substring(1);
    }
    return value;
  }
}
