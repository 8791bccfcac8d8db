package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.proto.control.ControlGrpc;
import dev.depotrunner.buildkit.session.Session;
import dev.depotrunner.engine.tls.PemFiles.TlsFileException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A connection to buildkitd over a unix socket or TCP. The Control API runs on a gRPC channel to the
 * daemon, and each session rides a {@code Control.Session} stream on that channel.
 */
final class BuildkitdConnection extends AbstractBuilderConnection {

  private BuildkitdConnection(BuilderEndpoint endpoint, EventLoops loops, ManagedChannel channel) {
    super(endpoint, loops, channel);
  }

  static BuildkitdConnection open(BuilderEndpoint endpoint, Duration timeout, boolean epoll)
      throws BuilderConnectionException {
    Path socket = endpoint.socketPath().orElse(null);
    if (socket != null && !Files.exists(socket)) {
      throw BuilderConnectionException.unreachable(endpoint, "no such file", null);
    }

    EventLoops loops = new EventLoops(epoll);
    ManagedChannel channel = null;
    try {
      channel = buildChannel(endpoint, loops);
      BuildkitdConnection connection = new BuildkitdConnection(endpoint, loops, channel);
      connection.probe(timeout);
      return connection;
    } catch (TlsFileException | SSLException e) {
      shutdown(channel, loops);
      throw new BuilderConnectionException(
          endpoint.toString(), "cannot set up TLS for " + endpoint + ": " + e.getMessage(), e);
    } catch (BuilderConnectionException | RuntimeException e) {
      shutdown(channel, loops);
      throw e;
    }
  }

  private static ManagedChannel buildChannel(BuilderEndpoint endpoint, EventLoops loops)
      throws TlsFileException, SSLException {
    NettyChannelBuilder builder;
    if (endpoint.socketPath().isPresent()) {
      builder =
          NettyChannelBuilder.forAddress(loops.domainSocketAddress(endpoint.socketPath().get()))
              .channelType(loops.domainSocketChannelType())
              .overrideAuthority("localhost");
    } else {
      builder =
          NettyChannelBuilder.forAddress(endpoint.host().orElseThrow(), endpoint.port())
              .channelType(loops.socketChannelType());
    }
    builder.eventLoopGroup(loops.sockets()).maxInboundMessageSize(SessionServer.MAX_MESSAGE_BYTES);

    TlsConfig tls = endpoint.tls().orElse(null);
    if (tls == null) {
      builder.usePlaintext();
    } else {
      builder.sslContext(TlsContexts.forGrpc(tls));
      tls.serverName().ifPresent(builder::overrideAuthority);
    }
    if (endpoint.gzip()) {
      builder.intercept(new GzipCalls());
    }
    return builder.build();
  }

  private void probe(Duration timeout) throws BuilderConnectionException {
    try {
      setBuildkitVersion(ControlProbe.readBuildkitVersion(channel(), timeout));
    } catch (StatusRuntimeException e) {
      if (ConnectFailures.isUnreachable(e)) {
        throw BuilderConnectionException.unreachable(endpoint(), ConnectFailures.describe(e), e);
      }
      throw new BuilderConnectionException(
          endpoint().toString(),
          "BuildKit at " + endpoint() + " failed the version check: " + ConnectFailures.describeStatus(e.getStatus()),
          e);
    }
  }

  @Override
  public AttachedSession attach(Session session) throws IOException {
    SessionServer server = SessionServer.start(session, loops());
    Channel local;
    try {
      local = await(server.connect(), "connecting to the session server").channel();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }

    SessionStreamBridge bridge = new SessionStreamBridge(local);
    bridge.install();
    var metadata = SessionHeaders.toMetadata(SessionHeaders.of(session, server.methodPaths()));
    ControlGrpc.newStub(channel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .session(bridge);
    bridge.start();

    StreamSession attached = new StreamSession(bridge, server);
    track(attached);
    return attached;
  }

  /** A session on a {@code Control.Session} stream. */
  private final class StreamSession implements AttachedSession {
    private final SessionStreamBridge bridge;
    private final SessionServer server;

    StreamSession(SessionStreamBridge bridge, SessionServer server) {
      this.bridge = bridge;
      this.server = server;
      bridge.done().whenComplete((ignored, error) -> server.close());
    }

    @Override
    public CompletableFuture<Void> done() {
      return bridge.done();
    }

    @Override
    public void close() {
      bridge.closeSend();
      try {
        bridge.done().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        bridge.cancel();
      } catch (ExecutionException e) {
        // The stream failed; close() still succeeds, and done() reports the failure.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        bridge.cancel();
      }
      server.close();
      untrack(this);
    }
  }
}
