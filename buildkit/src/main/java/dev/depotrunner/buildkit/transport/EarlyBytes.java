package dev.depotrunner.buildkit.transport;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.CompositeByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Consumer;

/**
 * Keeps the bytes a local channel reads before the handler that owns it takes over. A
 * {@code LocalChannel} can deliver its peer's first bytes (the HTTP/2 preface or SETTINGS frame) as
 * soon as it is registered, even with auto-read off; a handler added later from another thread is
 * skipped until its addition completes, so those bytes reached the pipeline's tail and were dropped.
 * Installed from the channel's initializer, this handler sees every byte from the start.
 */
final class EarlyBytes extends ChannelInboundHandlerAdapter {

  private CompositeByteBuf held;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (held == null) {
      held = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    }
    held.addComponent(true, (ByteBuf) msg);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  /**
   * Replaces this handler in {@code channel}'s pipeline with {@code next} and passes the bytes it held,
   * possibly none, to {@code heldBytes}. Both run in one task on the channel's event loop, so no read
   * falls between them and {@code heldBytes} runs before {@code next} sees any later byte.
   */
  static void handOver(Channel channel, String name, ChannelHandler next, Consumer<ByteBuf> heldBytes) {
    channel.eventLoop().execute(() -> {
      EarlyBytes early = channel.pipeline().get(EarlyBytes.class);
      ByteBuf bytes = Unpooled.EMPTY_BUFFER;
      if (early == null) {
        channel.pipeline().addLast(name, next);
      } else {
        if (early.held != null) {
          bytes = early.held;
          early.held = null;
        }
        channel.pipeline().replace(early, name, next);
      }
      heldBytes.accept(bytes);
    });
  }
}
