package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.session.Session;
import io.grpc.ManagedChannel;
import java.io.IOException;

/**
 * An open connection to one BuildKit builder: a gRPC channel for the Control API, and the means to
 * carry a client {@link Session} to the builder. {@link BuilderConnections#open} creates one.
 *
 * <p>The connection owns its channel; {@link #close()} shuts it down along with every attached session.
 */
public interface BuilderConnection extends AutoCloseable {

  /** The channel on which the Control service (Solve, Status, ListWorkers, Info) is called. */
  ManagedChannel channel();

  /**
   * Attaches the session: opens the session stream (Control.Session on buildkitd, the {@code /session}
   * upgrade on a Docker Engine) and serves the session's services over it until the returned handle is
   * closed or the builder hangs up. The standard gRPC health service is served alongside, because
   * BuildKit drops a session whose health check fails.
   *
   * @throws BuilderConnectionException if a Docker Engine rejects the session upgrade
   * @throws IOException if the session cannot be served
   */
  AttachedSession attach(Session session) throws IOException;

  /** The address the connection was opened for. */
  BuilderEndpoint endpoint();

  /** A short description of the builder for messages, such as {@code unix:///run/buildkit/buildkitd.sock}. */
  String description();

  /**
   * The versions the builder reported when the connection opened, for messages such as "needs
   * BuildKit v0.13 or newer".
   */
  BuilderVersion version();

  @Override
  void close();
}
