package dev.depotrunner.buildkit.transport;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.Future;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The base of both builder connections: the channel, the event loops and the attached sessions. */
abstract class AbstractBuilderConnection implements BuilderConnection {

  /** How long closing a session waits for the builder to end it before cancelling. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** How long connecting a socket or completing a handshake may take. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final BuilderEndpoint endpoint;
  private final EventLoops loops;
  private final ManagedChannel channel;
  private final Set<AttachedSession> sessions = ConcurrentHashMap.newKeySet();
  private volatile String buildkitVersion;
  private volatile boolean closed;

  AbstractBuilderConnection(BuilderEndpoint endpoint, EventLoops loops, ManagedChannel channel) {
    this.endpoint = endpoint;
    this.loops = loops;
    this.channel = channel;
  }

  @Override
  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public String description() {
    return endpoint.toString();
  }

  @Override
  public BuilderVersion version() {
    return new BuilderVersion(buildkitVersion, null, null);
  }

  @Override
  public BuilderEndpoint endpoint() {
    return endpoint;
  }

  EventLoops loops() {
    return loops;
  }

  String buildkitVersion() {
    return buildkitVersion;
  }

  void setBuildkitVersion(String version) {
    this.buildkitVersion = version;
  }

  void track(AttachedSession session) {
    sessions.add(session);
    if (closed) {
      session.close();
    }
  }

  void untrack(AttachedSession session) {
    sessions.remove(session);
  }

  @Override
  public void close() {
    closed = true;
    for (AttachedSession session : List.copyOf(sessions)) {
      session.close();
    }
    shutdown(channel, loops);
  }

  static void shutdown(ManagedChannel channel, EventLoops loops) {
    if (channel != null) {
      channel.shutdownNow();
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    loops.close();
  }

  /** Waits for a netty future, turning failure and timeout into IOException. */
  static <F extends Future<?>> F await(F future, String action) throws IOException {
    try {
      if (!future.await(CONNECT_TIMEOUT.toMillis())) {
        future.cancel(false);
        throw new IOException(action + " timed out after " + CONNECT_TIMEOUT.toSeconds() + "s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(action + " was interrupted", e);
    }
    if (!future.isSuccess()) {
      throw new IOException(action + " failed: " + future.cause(), future.cause());
    }
    return future;
  }
}
