package dev.depotrunner.controlplane;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The builder the control plane hands out: a gRPC server on 127.0.0.1 that requires a client certificate
 * signed by the control plane's CA, and forwards every call, whatever its method, byte for byte to a real
 * BuildKit. Streams in both directions, such as {@code Control.Session}, are relayed message by message
 * with flow control, and headers and trailers pass through.
 */
final class BuilderProxy implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BuilderProxy.class.getName());

  /** The largest message relayed; BuildKit's own limit for Solve requests and status is 16 MiB. */
  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("cannot read a relayed message").withCause(e).asRuntimeException();
      }
    }
  };

  private final Server server;
  private static final Metadata.Key<String> MESSAGE_ENCODING =
      Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);

  private final AtomicLong forwardedCalls = new AtomicLong();
  private final AtomicLong gzipCalls = new AtomicLong();

  private BuilderProxy(Server server) {
    this.server = server;
  }

  /**
   * Starts the proxy in front of {@code backend}, which the caller owns.
   *
   * @param serverCertificate the certificate and key the proxy presents
   * @param authority the CA whose client certificates the proxy accepts
   */
  static BuilderProxy start(
      Channel backend, CertificateAuthority.Issued serverCertificate, CertificateAuthority authority)
      throws IOException {
    SslContext tls = GrpcSslContexts.configure(
            SslContextBuilder.forServer(serverCertificate.privateKey(), serverCertificate.certificate()))
        .trustManager(authority.certificate())
        .clientAuth(ClientAuth.REQUIRE)
        .build();
    BuilderProxy[] self = new BuilderProxy[1];
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .sslContext(tls)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .fallbackHandlerRegistry(new ForwardingRegistry(backend, headers -> self[0].count(headers)))
        .build()
        .start();
    self[0] = new BuilderProxy(server);
    return self[0];
  }

  int port() {
    return server.getPort();
  }

  private void count(Metadata headers) {
    forwardedCalls.incrementAndGet();
    if ("gzip".equals(headers.get(MESSAGE_ENCODING))) {
      gzipCalls.incrementAndGet();
    }
  }

  /** Returns how many calls were forwarded so far. */
  long forwardedCalls() {
    return forwardedCalls.get();
  }

  /** Returns how many forwarded calls sent gzip-compressed messages. */
  long gzipCalls() {
    return gzipCalls.get();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Serves every method name by forwarding it to the backend. */
  private static final class ForwardingRegistry extends HandlerRegistry {
    private final Channel backend;
    private final Consumer<Metadata> onCall;

    ForwardingRegistry(Channel backend, Consumer<Metadata> onCall) {
      this.backend = backend;
      this.onCall = onCall;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<byte[], byte[]> method = MethodDescriptor.newBuilder(BYTES, BYTES)
          .setFullMethodName(methodName)
          .setType(MethodDescriptor.MethodType.UNKNOWN)
          .build();
      return ServerMethodDefinition.create(method, new ForwardingHandler(backend, onCall));
    }
  }

  private static final class ForwardingHandler implements ServerCallHandler<byte[], byte[]> {
    private final Channel backend;
    private final Consumer<Metadata> onCall;

    ForwardingHandler(Channel backend, Consumer<Metadata> onCall) {
      this.backend = backend;
      this.onCall = onCall;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
      onCall.accept(headers);
      ClientCall<byte[], byte[]> clientCall = backend.newCall(serverCall.getMethodDescriptor(), CallOptions.DEFAULT);
      var relay = new CallRelay(serverCall, clientCall);
      clientCall.start(relay.fromBackend, headers);
      serverCall.request(1);
      clientCall.request(1);
      return relay.fromClient;
    }
  }

  /**
   * Relays one call. Each side requests the next message only once the other side is ready to take it,
   * so a slow reader slows the writer instead of filling memory.
   */
  private static final class CallRelay {
    private final ServerCall<byte[], byte[]> serverCall;
    private final ClientCall<byte[], byte[]> clientCall;
    final ServerCall.Listener<byte[]> fromClient;
    final ClientCall.Listener<byte[]> fromBackend;

    CallRelay(ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall) {
      this.serverCall = serverCall;
      this.clientCall = clientCall;
      this.fromClient = new FromClient();
      this.fromBackend = new FromBackend();
    }

    private final class FromClient extends ServerCall.Listener<byte[]> {
      @Override
      public void onMessage(byte[] message) {
        clientCall.sendMessage(message);
        synchronized (CallRelay.this) {
          if (clientCall.isReady()) {
            serverCall.request(1);
          }
        }
      }

      @Override
      public void onHalfClose() {
        clientCall.halfClose();
      }

      @Override
      public void onCancel() {
        clientCall.cancel("the client cancelled the call", null);
      }

      @Override
      public void onReady() {
        synchronized (CallRelay.this) {
          if (serverCall.isReady()) {
            clientCall.request(1);
          }
        }
      }
    }

    private final class FromBackend extends ClientCall.Listener<byte[]> {
      @Override
      public void onHeaders(Metadata headers) {
        serverCall.sendHeaders(headers);
      }

      @Override
      public void onMessage(byte[] message) {
        serverCall.sendMessage(message);
        synchronized (CallRelay.this) {
          if (serverCall.isReady()) {
            clientCall.request(1);
          }
        }
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        if (!status.isOk() && status.getCode() != Status.Code.CANCELLED) {
          LOG.log(System.Logger.Level.DEBUG, "forwarded call " + serverCall.getMethodDescriptor().getFullMethodName()
              + " ended with " + status);
        }
        serverCall.close(status, trailers);
      }

      @Override
      public void onReady() {
        synchronized (CallRelay.this) {
          if (clientCall.isReady()) {
            serverCall.request(1);
          }
        }
      }
    }
  }
}
