package dev.depotrunner.runner.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * A random id of this machine, kept in the user's config folder. Builders key their copy of a build
 * context by it, so that the same folder on another machine is not mistaken for this one.
 */
final class MachineId {

  private MachineId() {}

  /** Returns the stored id, creating it on first use; falls back to a fresh id if the folder is read-only. */
  static String load(Map<String, String> environment) {
    Path file = configDirectory(environment).resolve("machine-id");
    try {
      if (Files.isRegularFile(file)) {
        String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!stored.isEmpty()) {
          return stored;
        }
      }
      String id = newId();
      Files.createDirectories(file.getParent());
      Path temporary = Files.createTempFile(file.getParent(), ".machine-id", ".tmp");
      Files.writeString(temporary, id, StandardCharsets.UTF_8);
      Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      // Without a stored id the builder still works; it only re-sends the context next time.
      return newId();
    }
  }

  static Path configDirectory(Map<String, String> environment) {
    String xdg = environment.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "depot-runner");
    }
    return Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".config", "depot-runner");
  }

  private static String newId() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
