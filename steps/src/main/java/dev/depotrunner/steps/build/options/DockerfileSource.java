package dev.depotrunner.steps.build.options;

import java.nio.file.Path;

/** Where the Dockerfile comes from ({@code -f}, or the default {@code PATH/Dockerfile}). */
public sealed interface DockerfileSource {

  /**
   * A Dockerfile on this machine, synced to the builder from its folder.
   *
   * @param directory absolute folder that contains the file
   * @param filename the file's name in that folder, such as {@code Dockerfile} or {@code dev.Dockerfile}
   * @param fromStdin whether the file is a temporary copy of what was read from stdin ({@code -f -})
   */
  record Local(Path directory, String filename, boolean fromStdin) implements DockerfileSource {
    public Path file() {
      return directory.resolve(filename);
    }
  }

  /**
   * A Dockerfile inside a remote context, which the frontend reads from there.
   *
   * @param filename the path inside the remote context, {@code Dockerfile} by default
   */
  record InRemoteContext(String filename) implements DockerfileSource {}
}
