package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.session.Session;
import io.grpc.ManagedChannel;
import java.io.IOException;

/**
 * An open connection to one BuildKit builder: a gRPC channel for the Control API, and the means to
 * carry a client {@link Session} to the builder.
 *
 * <p>The connection owns its channel; {@link #close()} shuts it down along with every attached session.
 */
public interface BuilderConnection extends AutoCloseable {

  /** The channel on which the Control service (Solve, Status, ListWorkers, Info) is called. */
  ManagedChannel channel();

  /**
   * Attaches the session: opens the session stream (Control.Session on buildkitd, the {@code /session}
   * upgrade on a Docker Engine) and serves the session's services over it until the returned handle is
   * closed or the builder hangs up.
   */
  AttachedSession attach(Session session) throws IOException;

  /** A short description of the builder for messages, such as {@code unix:///run/buildkit/buildkitd.sock}. */
  String description();

  @Override
  void close();
}
