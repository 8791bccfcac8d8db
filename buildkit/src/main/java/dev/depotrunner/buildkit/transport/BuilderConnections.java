package dev.depotrunner.buildkit.transport;

import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.Objects;

/** Opens connections to BuildKit builders. */
public final class BuilderConnections {

  /** How long {@link #open(BuilderEndpoint)} waits for the builder to respond. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private BuilderConnections() {}

  /** Opens a connection, waiting up to {@link #DEFAULT_TIMEOUT} for the builder to respond. */
  public static BuilderConnection open(BuilderEndpoint endpoint) throws BuilderConnectionException {
    return open(endpoint, DEFAULT_TIMEOUT);
  }

  /**
   * Opens a connection and checks that the builder responds, by reading its BuildKit version (and for
   * a Docker Engine, {@code GET /version} first). The caller owns the connection and closes it.
   *
   * @throws BuilderConnectionException if the builder cannot be reached or does not serve BuildKit;
   *     the message names the address and what to check
   */
  public static BuilderConnection open(BuilderEndpoint endpoint, Duration timeout)
      throws BuilderConnectionException {
    return open(endpoint, timeout, Epoll.isAvailable());
  }

  /** Opens a connection on epoll sockets or, with {@code epoll} false, on NIO ones. */
  static BuilderConnection open(BuilderEndpoint endpoint, Duration timeout, boolean epoll)
      throws BuilderConnectionException {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(timeout, "timeout");
    return switch (endpoint.kind()) {
      case BUILDKITD -> BuildkitdConnection.open(endpoint, timeout, epoll);
      case DOCKER_ENGINE -> DockerEngineConnection.open(endpoint, timeout, epoll);
    };
  }
}
