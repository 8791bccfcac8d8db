package dev.depotrunner.buildkit.ssh;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An SSH agent to forward, as buildx's {@code --ssh} flag describes it: an id, and the agent
 * socket or private key files that serve it.
 *
 * <p>Accepted forms: {@code default} (or any bare {@code ID}) forwards the agent at
 * {@code $SSH_AUTH_SOCK}; {@code ID=PATH[,PATH...]} forwards one agent socket, or an agent made of
 * the listed unencrypted private key files.
 *
 * @param id the id that {@code RUN --mount=type=ssh,id=...} requests; {@code default} if empty
 * @param paths the socket or key files; empty for {@code $SSH_AUTH_SOCK}
 */
public record SshSpec(String id, List<String> paths) {

  /** The id of {@code RUN --mount=type=ssh} without an id. */
  public static final String DEFAULT_ID = "default";

  public SshSpec {
    Objects.requireNonNull(id, "id");
    id = id.isEmpty() ? DEFAULT_ID : id;
    paths = List.copyOf(paths);
  }

  /**
   * Parses an {@code --ssh} value. As in buildx, the text after the first {@code =} is split at
   * every comma.
   *
   * @throws IllegalArgumentException if the value is empty
   */
  public static SshSpec parse(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid ssh value \"\": expected default or ID=PATH[,PATH...]");
    }
    int equals = value.indexOf('=');
    if (equals < 0) {
      return new SshSpec(value, List.of());
    }
    String paths = value.substring(equals + 1);
    return new SshSpec(value.substring(0, equals), Arrays.asList(paths.split(",", -1)));
  }

  /** Returns the spec in the {@code --ssh} form, for messages. */
  @Override
  public String toString() {
    return paths.isEmpty() ? id : id + "=" + String.join(",", paths);
  }
}
