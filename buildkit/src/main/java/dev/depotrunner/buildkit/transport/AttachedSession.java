package dev.depotrunner.buildkit.transport;

import java.util.concurrent.CompletableFuture;

/** A session being served to a builder; closing it ends the session stream. */
public interface AttachedSession extends AutoCloseable {

  /** Completes when the builder ends the session stream, exceptionally if it broke. */
  CompletableFuture<Void> done();

  @Override
  void close();
}
