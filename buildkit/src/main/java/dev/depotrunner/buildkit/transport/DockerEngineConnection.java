package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.session.Session;
import dev.depotrunner.buildkit.transport.DockerEngineClient.EngineResponseException;
import dev.depotrunner.buildkit.transport.DockerEngineClient.EngineVersion;
import dev.depotrunner.engine.tls.PemFiles.TlsFileException;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * A connection to the BuildKit inside a Docker Engine. The Control API runs on a gRPC channel whose
 * connections are upgraded through {@code POST /grpc}; each session gets its own connection upgraded
 * through {@code POST /session}, on which the engine is the HTTP/2 client and this side serves the
 * session's services.
 */
final class DockerEngineConnection extends AbstractBuilderConnection {

  private static final Pattern API_VERSION = Pattern.compile("\\d+\\.\\d+");

  private final DockerEngineClient client;
  private final UpgradeAcceptor acceptor;
  private final EngineVersion engine;
  private final String apiPrefix;

  private DockerEngineConnection(
      BuilderEndpoint endpoint,
      EventLoops loops,
      ManagedChannel channel,
      DockerEngineClient client,
      UpgradeAcceptor acceptor,
      EngineVersion engine,
      String apiPrefix) {
    super(endpoint, loops, channel);
    this.client = client;
    this.acceptor = acceptor;
    this.engine = engine;
    this.apiPrefix = apiPrefix;
  }

  static DockerEngineConnection open(BuilderEndpoint endpoint, Duration timeout, boolean epoll)
      throws BuilderConnectionException {
    if (endpoint.socketPath().isPresent() && !Files.exists(endpoint.socketPath().get())) {
      throw BuilderConnectionException.unreachable(endpoint, "no such file", null);
    }

    EventLoops loops = new EventLoops(epoll);
    UpgradeAcceptor acceptor = null;
    ManagedChannel channel = null;
    try {
      SslContext ssl = endpoint.tls().isPresent() ? TlsContexts.forHttp(endpoint.tls().get()) : null;
      DockerEngineClient client = new DockerEngineClient(endpoint, loops, ssl);
      EngineVersion engine = readEngineVersion(endpoint, client, timeout);
      String apiPrefix = apiPrefix(engine);

      acceptor = UpgradeAcceptor.start(client, apiPrefix + "/grpc", loops);
      channel =
          NettyChannelBuilder.forAddress(acceptor.address())
              .channelType(LocalChannel.class)
              .eventLoopGroup(loops.local())
              .usePlaintext()
              .maxInboundMessageSize(SessionServer.MAX_MESSAGE_BYTES)
              .build();
      DockerEngineConnection connection =
          new DockerEngineConnection(endpoint, loops, channel, client, acceptor, engine, apiPrefix);
      connection.probe(timeout);
      return connection;
    } catch (TlsFileException | SSLException e) {
      close(acceptor, channel, loops);
      throw new BuilderConnectionException(
          endpoint.toString(), "cannot set up TLS for " + endpoint + ": " + e.getMessage(), e);
    } catch (IOException e) {
      close(acceptor, channel, loops);
      if (e instanceof BuilderConnectionException connectionException) {
        throw connectionException;
      }
      throw BuilderConnectionException.unreachable(endpoint, ConnectFailures.describe(e), e);
    } catch (RuntimeException e) {
      close(acceptor, channel, loops);
      throw e;
    }
  }

  private static EngineVersion readEngineVersion(
      BuilderEndpoint endpoint, DockerEngineClient client, Duration timeout)
      throws BuilderConnectionException {
    try {
      return client.version().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = DockerEngineClient.unwrap(e);
      if (cause instanceof EngineResponseException) {
        throw new BuilderConnectionException(
            endpoint.toString(),
            "the Docker Engine at " + endpoint + " failed: " + cause.getMessage()
                + "; check that the address is a Docker Engine API",
            cause);
      }
      throw BuilderConnectionException.unreachable(endpoint, ConnectFailures.describe(cause), cause);
    } catch (TimeoutException e) {
      throw BuilderConnectionException.unreachable(
          endpoint, "no answer to GET /version within " + timeout.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw BuilderConnectionException.unreachable(endpoint, "interrupted", e);
    }
  }

  /**
   * Returns the path prefix for the engine's current API version, such as {@code /v1.51}. Paths
   * without a prefix reach the same routes, but a fixed version keeps the request format stable.
   */
  static String apiPrefix(EngineVersion engine) {
    return API_VERSION.matcher(engine.apiVersion()).matches() ? "/v" + engine.apiVersion() : "";
  }

  private void probe(Duration timeout) throws BuilderConnectionException {
    try {
      setBuildkitVersion(ControlProbe.readBuildkitVersion(channel(), timeout));
    } catch (StatusRuntimeException e) {
      Throwable upgradeFailure = acceptor.lastFailure();
      if (upgradeFailure instanceof EngineResponseException response && response.status() == 404) {
        throw new BuilderConnectionException(
            endpoint().toString(),
            "the Docker Engine at " + endpoint() + " (" + engine.version() + ") does not serve BuildKit's"
                + " /grpc endpoint (" + response.getMessage() + "); use a Docker Engine with BuildKit"
                + " (tested with 20.10 and 28), or set --builder or BUILDKIT_HOST to a buildkitd",
            response);
      }
      if (upgradeFailure != null) {
        throw BuilderConnectionException.unreachable(
            endpoint(), ConnectFailures.describe(upgradeFailure), upgradeFailure);
      }
      if (ConnectFailures.isUnreachable(e)) {
        throw BuilderConnectionException.unreachable(endpoint(), ConnectFailures.describe(e), e);
      }
      throw new BuilderConnectionException(
          endpoint().toString(),
          "the BuildKit of the Docker Engine at " + endpoint() + " failed the version check: " + ConnectFailures.describeStatus(e.getStatus()),
          e);
    }
  }

  @Override
  public BuilderVersion version() {
    return new BuilderVersion(buildkitVersion(), engine.version(), engine.apiVersion());
  }

  @Override
  public AttachedSession attach(Session session) throws IOException {
    SessionServer server = SessionServer.start(session, loops());
    Channel socket = null;
    try {
      List<Map.Entry<String, String>> headers = SessionHeaders.of(session, server.methodPaths());
      socket = awaitUpgrade(client.upgrade(apiPrefix + "/session", headers));
      Channel local = await(server.connect(), "connecting to the session server").channel();
      ByteBuf pending = awaitUpgrade(DockerEngineClient.takeOver(socket));

      RelayedSession attached = new RelayedSession(socket, local, server);
      Relay.splice(socket, pending, local, attached::recordError);
      track(attached);
      return attached;
    } catch (IOException | RuntimeException e) {
      if (socket != null) {
        socket.close();
      }
      server.close();
      throw e;
    }
  }

  private <T> T awaitUpgrade(CompletableFuture<T> upgrade) throws IOException {
    try {
      return upgrade.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = DockerEngineClient.unwrap(e);
      if (cause instanceof EngineResponseException) {
        throw new BuilderConnectionException(
            endpoint().toString(),
            "the Docker Engine at " + endpoint() + " rejected the build session: " + cause.getMessage(),
            cause);
      }
      throw BuilderConnectionException.unreachable(endpoint(), ConnectFailures.describe(cause), cause);
    } catch (TimeoutException e) {
      upgrade.cancel(false);
      throw BuilderConnectionException.unreachable(
          endpoint(), "no answer to POST " + apiPrefix + "/session within " + CONNECT_TIMEOUT.toSeconds() + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while opening the build session", e);
    }
  }

  @Override
  public void close() {
    acceptor.close();
    super.close();
  }

  private static void close(UpgradeAcceptor acceptor, ManagedChannel channel, EventLoops loops) {
    if (acceptor != null) {
      acceptor.close();
    }
    shutdown(channel, loops);
  }

  /** A session relayed over an upgraded {@code /session} connection. */
  private final class RelayedSession implements AttachedSession {
    private final Channel socket;
    private final Channel local;
    private final SessionServer server;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile Throwable error;
    private volatile boolean closing;

    RelayedSession(Channel socket, Channel local, SessionServer server) {
      this.socket = socket;
      this.local = local;
      this.server = server;
      socket.closeFuture().addListener(future -> finish());
    }

    void recordError(Throwable cause) {
      if (error == null) {
        error = cause;
      }
    }

    private void finish() {
      Throwable cause = error;
      if (cause != null && !closing) {
        done.completeExceptionally(cause);
      } else {
        done.complete(null);
      }
      // Shutting the server down waits for its calls, so it must not run on an event loop thread.
      CompletableFuture.runAsync(server::close);
    }

    @Override
    public CompletableFuture<Void> done() {
      return done;
    }

    @Override
    public void close() {
      closing = true;
      socket.close().awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
      local.close();
      server.close();
      untrack(this);
    }
  }
}
