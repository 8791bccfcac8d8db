package dev.depotrunner.buildkit.transport;

import java.io.IOException;

/**
 * A builder that cannot be reached or used: the socket is missing, the connection is refused, TLS
 * fails, or a Docker Engine does not serve BuildKit. The message is one line that names the builder
 * address and what to check; the cause is the underlying error.
 */
public class BuilderConnectionException extends IOException {

  private final String endpoint;

  public BuilderConnectionException(String endpoint, String message, Throwable cause) {
    super(message, cause);
    this.endpoint = endpoint;
  }

  /** Returns the builder address, in {@link BuilderEndpoint#toString()} form. */
  public String endpoint() {
    return endpoint;
  }

  /** Returns an error for a builder that cannot be reached, with a hint for the kind of address. */
  static BuilderConnectionException unreachable(BuilderEndpoint endpoint, String reason, Throwable cause) {
    String subject =
        endpoint.kind() == BuilderEndpoint.Kind.DOCKER_ENGINE
            ? "cannot connect to the Docker Engine at "
            : "cannot connect to BuildKit at ";
    return new BuilderConnectionException(
        endpoint.toString(), subject + endpoint + ": " + reason + "; " + hint(endpoint, reason), cause);
  }

  private static String hint(BuilderEndpoint endpoint, String reason) {
    boolean docker = endpoint.kind() == BuilderEndpoint.Kind.DOCKER_ENGINE;
    if (reason.contains("permission denied")) {
      return docker
          ? "check that this user may open the socket (the docker group), or set DOCKER_HOST"
          : "check that this user may open the socket, or set --builder or BUILDKIT_HOST";
    }
    if (reason.contains("TLS") || reason.contains("certificate")) {
      return docker
          ? "check DOCKER_CERT_PATH and DOCKER_TLS_VERIFY against the engine's certificates"
          : "check the TLS CA, client certificate, key and server name against buildkitd's certificates";
    }
    if (docker) {
      return "start the Docker Engine, or set DOCKER_HOST or --builder to a running one";
    }
    return endpoint.socketPath().isPresent()
        ? "start buildkitd, or set --builder or BUILDKIT_HOST to a running builder"
        : "check that buildkitd listens there, or set --builder or BUILDKIT_HOST to a running builder";
  }
}
