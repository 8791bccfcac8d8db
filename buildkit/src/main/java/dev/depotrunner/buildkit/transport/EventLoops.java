package dev.depotrunner.buildkit.transport;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.group.ChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.group.DefaultChannelGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.local.LocalIoHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.netty.shaded.io.netty.util.concurrent.GlobalEventExecutor;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The netty event loops of one builder connection: one group for sockets to the builder (epoll where
 * the native transport loads, NIO elsewhere) and one for the in-process {@code LocalChannel}s that
 * link the gRPC client and session server to those sockets.
 *
 * <p>The two groups are separate because netty 4.2 registers a channel with the I/O handler of its
 * loop, and the epoll and NIO handlers take no local channels.
 */
final class EventLoops implements AutoCloseable {

  private static final long SHUTDOWN_MILLIS = 2000;

  private final boolean epoll;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final EventLoopGroup sockets;
  private final EventLoopGroup local;

  EventLoops(boolean useEpoll) {
    KeepAliveWarningFilter.install();
    this.epoll = useEpoll;
    this.sockets =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("buildkit-socket", true),
            useEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.local =
        new MultiThreadIoEventLoopGroup(
            2, new DefaultThreadFactory("buildkit-local", true), LocalIoHandler.newFactory());
  }

  EventLoopGroup sockets() {
    return sockets;
  }

  EventLoopGroup local() {
    return local;
  }

  Class<? extends Channel> domainSocketChannelType() {
    return epoll ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
  }

  SocketAddress domainSocketAddress(Path path) {
    return epoll ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
  }

  Class<? extends Channel> socketChannelType() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** Registers a channel that {@link #close()} closes before it stops the loops. */
  void track(Channel channel) {
    channels.add(channel);
  }

  /**
   * Closes the tracked channels, then stops the loops. Closing first keeps a relay from handing
   * work to a loop that has already stopped.
   */
  @Override
  public void close() {
    channels.close().awaitUninterruptibly(SHUTDOWN_MILLIS);
    sockets.shutdownGracefully(0, SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_MILLIS);
    local.shutdownGracefully(0, SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_MILLIS);
  }
}
