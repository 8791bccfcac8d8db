package dev.depotrunner.buildkit.transport;

import java.util.concurrent.CompletableFuture;

/**
 * A session being served to a builder. Closing it ends the session stream: on buildkitd it
 * half-closes {@code Control.Session} and waits briefly for the daemon to end it, on a Docker Engine
 * it closes the {@code /session} connection.
 */
public interface AttachedSession extends AutoCloseable {

  /**
   * Completes when the session stream ends: normally when the builder ends it or {@link #close()} ran,
   * exceptionally if the stream broke.
   */
  CompletableFuture<Void> done();

  @Override
  void close();
}
