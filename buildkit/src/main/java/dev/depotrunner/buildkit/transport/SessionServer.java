package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.session.Session;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.local.LocalAddress;
import io.grpc.netty.shaded.io.netty.channel.local.LocalChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalServerChannel;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server for one session's services plus the standard health service, listening on an
 * in-process netty {@link LocalAddress}. The transports connect a {@link LocalChannel} to it and
 * relay that channel's bytes to the builder, which then calls the services as an HTTP/2 client.
 */
final class SessionServer implements AutoCloseable {

  /** BuildKit's own limit for session messages (containerd's defaults.DefaultMaxRecvMsgSize). */
  static final int MAX_MESSAGE_BYTES = 16 << 20;

  private final Server server;
  private final LocalAddress address;
  private final EventLoops loops;
  private final List<String> methodPaths;

  private SessionServer(Server server, LocalAddress address, EventLoops loops, List<String> methodPaths) {
    this.server = server;
    this.address = address;
    this.loops = loops;
    this.methodPaths = methodPaths;
  }

  /**
   * Starts serving the session. BuildKit checks the session's health every few seconds and drops a
   * session whose check fails twice, so a health service reporting SERVING is added unless the
   * session brings its own.
   */
  static SessionServer start(Session session, EventLoops loops) throws IOException {
    List<ServerServiceDefinition> services = new ArrayList<>(session.services());
    boolean hasHealth =
        services.stream()
            .anyMatch(service -> service.getServiceDescriptor().getName().equals(HealthGrpc.SERVICE_NAME));
    if (!hasHealth) {
      services.add(new HealthStatusManager().getHealthService().bindService());
    }

    LocalAddress address = new LocalAddress("buildkit-session-" + session.id() + "-" + UUID.randomUUID());
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(address)
            .channelType(LocalServerChannel.class)
            .bossEventLoopGroup(loops.local())
            .workerEventLoopGroup(loops.local())
            .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    List<String> methodPaths = new ArrayList<>();
    for (ServerServiceDefinition service : services) {
      builder.addService(service);
      for (var method : service.getMethods()) {
        methodPaths.add("/" + method.getMethodDescriptor().getFullMethodName());
      }
    }

    Server server = builder.build().start();
    return new SessionServer(server, address, loops, List.copyOf(methodPaths));
  }

  /** Returns the full names of the served methods, health included, such as {@code /grpc.health.v1.Health/Check}. */
  List<String> methodPaths() {
    return methodPaths;
  }

  /** Opens a raw byte channel to the server, with auto-read off until a relay takes it over. */
  ChannelFuture connect() {
    ChannelFuture connecting = new Bootstrap()
        .group(loops.local())
        .channel(LocalChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new EarlyBytes())
        .connect(address);
    loops.track(connecting.channel());
    return connecting;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
