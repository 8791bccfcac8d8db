package dev.depotrunner.buildkit.ssh;

import java.io.IOException;

/**
 * Raised when an SSH forwarding spec cannot be served: no agent socket, a missing file, a key that
 * is encrypted or of an unsupported type, or a mix of sockets and keys. Messages name the id and
 * the path.
 */
public final class SshAgentException extends IOException {

  public SshAgentException(String message) {
    super(message);
  }

  public SshAgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
