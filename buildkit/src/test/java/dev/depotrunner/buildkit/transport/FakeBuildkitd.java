package dev.depotrunner.buildkit.transport;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.control.BytesMessage;
import dev.depotrunner.buildkit.proto.control.ControlGrpc;
import dev.depotrunner.buildkit.proto.control.InfoRequest;
import dev.depotrunner.buildkit.proto.control.InfoResponse;
import dev.depotrunner.buildkit.proto.control.ListWorkersRequest;
import dev.depotrunner.buildkit.proto.control.ListWorkersResponse;
import dev.depotrunner.buildkit.proto.types.BuildkitVersion;
import dev.depotrunner.buildkit.proto.types.WorkerRecord;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for buildkitd: serves Control.Info, ListWorkers and Session on a unix socket or TCP
 * port. For each Session stream it does what buildkitd's session manager does: it runs a gRPC
 * client over the stream's bytes, through which tests call the client's session services.
 */
final class FakeBuildkitd implements AutoCloseable {

  static final String VERSION = "v0.99.0";

  private static final Context.Key<Metadata> HEADERS = Context.key("headers");

  private final EventLoops loops = new EventLoops(Epoll.isAvailable());
  private final Server server;
  final BlockingQueue<FakeSession> sessions = new LinkedBlockingQueue<>();
  private final List<FakeSession> allSessions = new CopyOnWriteArrayList<>();

  private FakeBuildkitd(NettyServerBuilder builder) throws IOException {
    ServerInterceptor captureHeaders =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
          }
        };
    this.server =
        builder
            .bossEventLoopGroup(loops.sockets())
            .workerEventLoopGroup(loops.sockets())
            .addService(ServerInterceptors.intercept(new Control(), captureHeaders))
            .build()
            .start();
  }

  static FakeBuildkitd onUnixSocket(Path socket) throws IOException {
    boolean epoll = Epoll.isAvailable();
    SocketAddress address =
        epoll
            ? new io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress(socket.toString())
            : java.net.UnixDomainSocketAddress.of(socket);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
    if (epoll) {
      builder.channelType(EpollServerDomainSocketChannel.class);
    } else {
      builder.channelType(NioServerDomainSocketChannel.class);
    }
    return new FakeBuildkitd(builder);
  }

  static FakeBuildkitd onTcp(SslContext tls) throws IOException {
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .channelType(
                Epoll.isAvailable()
                    ? io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel.class
                    : io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel.class);
    if (tls != null) {
      builder.sslContext(tls);
    }
    return new FakeBuildkitd(builder);
  }

  int port() {
    return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
  }

  FakeSession awaitSession() throws InterruptedException {
    FakeSession session = sessions.poll(10, TimeUnit.SECONDS);
    if (session == null) {
      throw new AssertionError("no Control.Session stream arrived");
    }
    return session;
  }

  @Override
  public void close() throws InterruptedException {
    for (FakeSession session : allSessions) {
      session.channel.shutdownNow();
      session.channel.awaitTermination(5, TimeUnit.SECONDS);
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    loops.close();
  }

  private final class Control extends ControlGrpc.ControlImplBase {
    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> responses) {
      responses.onNext(
          InfoResponse.newBuilder()
              .setBuildkitVersion(BuildkitVersion.newBuilder().setVersion(VERSION))
              .build());
      responses.onCompleted();
    }

    @Override
    public void listWorkers(ListWorkersRequest request, StreamObserver<ListWorkersResponse> responses) {
      responses.onNext(
          ListWorkersResponse.newBuilder()
              .addRecord(WorkerRecord.newBuilder().setID("fake"))
              .build());
      responses.onCompleted();
    }

    @Override
    public StreamObserver<BytesMessage> session(StreamObserver<BytesMessage> responses) {
      FakeSession session;
      try {
        session = new FakeSession(HEADERS.get(), (ServerCallStreamObserver<BytesMessage>) responses);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sessions.add(session);
      allSessions.add(session);
      return session.fromClient;
    }
  }

  /**
   * One Control.Session stream, seen from the builder: the headers, a gRPC channel to the client's
   * session services, and a switch that stops reading the stream to test the client's flow control.
   */
  final class FakeSession {
    final Metadata headers;
    final ManagedChannel channel;
    final CompletableFuture<Void> clientHalfClosed = new CompletableFuture<>();
    private final ServerCallStreamObserver<BytesMessage> toClient;
    private final Queue<ByteBuf> early = new ArrayDeque<>();
    private Channel link;
    private boolean paused;
    private boolean completed;
    private int deferredRequests;

    final StreamObserver<BytesMessage> fromClient =
        new StreamObserver<>() {
          @Override
          public void onNext(BytesMessage message) {
            writeToLink(Unpooled.wrappedBuffer(message.getData().toByteArray()));
          }

          @Override
          public void onError(Throwable t) {
            clientHalfClosed.completeExceptionally(t);
            closeLink();
          }

          @Override
          public void onCompleted() {
            clientHalfClosed.complete(null);
            // buildkitd's session manager reads end of file, closes its connection and ends the stream.
            closeLink();
            complete();
          }
        };

    FakeSession(Metadata headers, ServerCallStreamObserver<BytesMessage> toClient)
        throws InterruptedException {
      this.headers = headers;
      this.toClient = toClient;
      toClient.disableAutoRequest();
      toClient.request(1);

      LocalAddress address = new LocalAddress("fake-buildkitd-" + UUID.randomUUID());
      new ServerBootstrap()
          .group(loops.local())
          .channel(io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel.class)
          .childOption(ChannelOption.AUTO_READ, false)
          .childHandler(
              new ChannelInitializer<LocalChannel>() {
                @Override
                protected void initChannel(LocalChannel channel) {
                  channel.pipeline().addLast(new LinkReader());
                  attachLink(channel);
                }
              })
          .bind(address)
          .sync();
      this.channel =
          NettyChannelBuilder.forAddress(address)
              .channelType(LocalChannel.class)
              .eventLoopGroup(loops.local())
              .usePlaintext()
              .build();
      channel.getState(true);
      toClient.setOnReadyHandler(() -> {
        Channel current = currentLink();
        if (current != null) {
          current.config().setAutoRead(true);
        }
      });
    }

    String header(String name) {
      return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }

    Iterable<String> headerValues(String name) {
      return headers.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }

    /** Stops taking messages from the client, as a builder that falls behind would. */
    synchronized void pause() {
      paused = true;
    }

    synchronized void resume() {
      paused = false;
      toClient.request(deferredRequests);
      deferredRequests = 0;
    }

    /** Ends the stream from the builder side. */
    synchronized void end() {
      closeLink();
      complete();
    }

    private synchronized void complete() {
      if (!completed) {
        completed = true;
        toClient.onCompleted();
      }
    }

    private synchronized Channel currentLink() {
      return link;
    }

    private synchronized void attachLink(Channel channel) {
      link = channel;
      while (!early.isEmpty()) {
        channel.write(early.poll());
      }
      channel.flush();
      channel.config().setAutoRead(true);
    }

    private synchronized void writeToLink(ByteBuf data) {
      if (link == null) {
        early.add(data);
        requestNext();
        return;
      }
      link.writeAndFlush(data).addListener(future -> requestNext());
    }

    private synchronized void requestNext() {
      if (paused) {
        deferredRequests++;
      } else {
        toClient.request(1);
      }
    }

    private synchronized void closeLink() {
      if (link != null) {
        link.close();
      }
    }

    /** Sends the bytes the builder's gRPC client writes to the client over the stream. */
    private final class LinkReader extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buffer = (ByteBuf) msg;
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        synchronized (FakeSession.this) {
          if (!completed) {
            toClient.onNext(BytesMessage.newBuilder().setData(ByteString.copyFrom(bytes)).build());
          }
        }
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!toClient.isReady()) {
          ctx.channel().config().setAutoRead(false);
          if (toClient.isReady()) {
            ctx.channel().config().setAutoRead(true);
          }
        }
      }
    }
  }
}
