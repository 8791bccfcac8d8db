package dev.depotrunner.buildkit.transport;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.util.concurrent.Future;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies bytes between two connected channels in both directions until either closes.
 *
 * <p>A side stops reading while its peer is not writable, and resumes when the peer drains below its
 * low water mark, so the relay itself buffers at most one read plus the peer's write buffer. The
 * gRPC endpoints on both ends add HTTP/2 flow control on top, which bounds what a {@code LocalChannel}
 * queues for a peer that is not reading.
 */
final class Relay {

  private static final Logger LOG = Logger.getLogger(Relay.class.getName());

  private Relay() {}

  /**
   * Starts relaying between {@code first} and {@code second}, which must both be connected with
   * auto-read off; {@code second} is a local channel whose initializer installed {@link EarlyBytes}.
   * Bytes in {@code firstPending}, already read from {@code first}, go to {@code second} before
   * anything else, and so do the bytes {@code second} read before the relay took over. {@code onError}
   * receives the first I/O error of either side.
   */
  static void splice(Channel first, ByteBuf firstPending, Channel second, Consumer<Throwable> onError) {
    first.pipeline().addLast("relay", new RelayHandler(second, onError));
    if (firstPending != null && firstPending.isReadable()) {
      second.writeAndFlush(firstPending);
    } else if (firstPending != null) {
      firstPending.release();
    }

    EarlyBytes.handOver(second, "relay", new RelayHandler(first, onError), secondPending -> {
      if (secondPending.isReadable()) {
        first.writeAndFlush(secondPending);
      } else {
        secondPending.release();
      }
      first.config().setAutoRead(true);
      second.config().setAutoRead(true);
      closeWhenPeerCloses(first, second);
    });
  }

  private static void closeWhenPeerCloses(Channel first, Channel second) {
    // A side that was already closed before the handlers were added never fires channelInactive.
    first.closeFuture().addListener(future -> closeAfterFlush(second));
    second.closeFuture().addListener(future -> closeAfterFlush(first));
  }

  static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }

  private static final class RelayHandler extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final Consumer<Throwable> onError;

    RelayHandler(Channel peer, Consumer<Throwable> onError) {
      this.peer = peer;
      this.onError = onError;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      peer.write(msg).addListener(this::writeDone);
    }

    private void writeDone(Future<? super Void> future) {
      if (future.isSuccess()) {
        return;
      }
      // A write to a peer that is closing fails with ClosedChannelException; that is the normal end.
      if (!(future.cause() instanceof ClosedChannelException)) {
        LOG.log(Level.FINE, "relay write to " + peer + " failed", future.cause());
        onError.accept(future.cause());
      }
      peer.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      peer.flush();
      if (!peer.isWritable()) {
        ctx.channel().config().setAutoRead(false);
        // The peer runs on another event loop and may have drained between the check and the pause.
        // Its writability event then came too early to resume this side, so check once more.
        if (peer.isWritable()) {
          ctx.channel().config().setAutoRead(true);
        }
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        peer.config().setAutoRead(true);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closeAfterFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.log(Level.FINE, "relay " + ctx.channel() + " failed", cause);
      onError.accept(cause);
      ctx.close();
    }
  }
}
