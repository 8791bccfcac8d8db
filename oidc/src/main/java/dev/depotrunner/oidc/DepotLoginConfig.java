package dev.depotrunner.oidc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The config file where {@code depot login} stores its token: {@code depot/depot.yaml} under the
 * XDG config home, with the token under the {@code api_token} key. The Depot CLI finds the file
 * with github.com/adrg/xdg v0.4.0, whose rules {@link #location} follows.
 */
final class DepotLoginConfig {

  private static final String RELATIVE_PATH = "depot/depot.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DepotLoginConfig() {}

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
  static Optional<String> readApiToken(Path file) throws IdentityException {
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
    JsonNode token = root.get("api_token");
    if (token == null || !token.isValueNode() || token.asText().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(token.asText());
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
