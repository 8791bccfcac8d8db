package dev.depotrunner.buildkit.transport;

import dev.depotrunner.engine.ChunkedInputStream;
import dev.depotrunner.engine.HttpResponseHead;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/1.1 request on a fresh connection to a Docker Engine, and its response.
 *
 * <p>For an upgrade request, a {@code 101 Switching Protocols} completes {@link #response()} with
 * the head alone and stops reading; any bytes that came after the head (the engine may send its
 * HTTP/2 preface right away) stay in this handler until {@link #takePending()} hands them to the
 * relay. Any other status, and every plain request, completes with the whole body.
 */
final class HttpExchange extends ChannelInboundHandlerAdapter {

  /** Largest response body read, enough for {@code /version} and error messages. */
  static final int MAX_BODY_BYTES = 1 << 20;

  /** A response: the head and, unless the connection switched protocols, the body. */
  record Response(HttpResponseHead head, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final ByteBuf request;
  private final boolean upgrade;
  private final CompletableFuture<Response> response = new CompletableFuture<>();
  private ByteBuf received;
  private HttpResponseHead head;
  private boolean switched;
  private boolean started;

  private HttpExchange(ByteBuf request, boolean upgrade) {
    this.request = request;
    this.upgrade = upgrade;
  }

  /** Builds an exchange for {@code method path}, with an upgrade to {@code h2c} if asked. */
  static HttpExchange create(
      String method, String path, String host, Iterable<Map.Entry<String, String>> headers, boolean upgrade) {
    StringBuilder text = new StringBuilder(256);
    text.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    text.append("Host: ").append(host).append("\r\n");
    text.append("User-Agent: depot-runner\r\n");
    if (upgrade) {
      text.append("Connection: Upgrade\r\n");
      text.append("Upgrade: h2c\r\n");
    } else {
      text.append("Connection: close\r\n");
    }
    if (method.equals("POST")) {
      text.append("Content-Length: 0\r\n");
    }
    for (Map.Entry<String, String> header : headers) {
      text.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    text.append("\r\n");
    ByteBuf request = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    return new HttpExchange(request, upgrade);
  }

  CompletableFuture<Response> response() {
    return response;
  }

  /**
   * Returns the bytes read after a {@code 101} head, which this handler no longer keeps. Call it on
   * the channel's event loop, then remove this handler.
   */
  ByteBuf takePending() {
    ByteBuf pending = received == null ? Unpooled.EMPTY_BUFFER : received;
    received = null;
    return pending;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    // netty completes the connect future before it fires channelActive, so both paths may run.
    if (started) {
      return;
    }
    started = true;
    ctx.writeAndFlush(request.retainedDuplicate())
        .addListener(
            future -> {
              if (!future.isSuccess()) {
                fail(future.cause());
              }
            });
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf data = (ByteBuf) msg;
    if (received == null) {
      received = ctx.alloc().buffer(Math.max(data.readableBytes(), 1024));
    }
    received.writeBytes(data);
    data.release();
    if (switched) {
      return;
    }

    try {
      readResponse(ctx);
    } catch (IllegalArgumentException e) {
      fail(new IOException("invalid HTTP response from the Docker Engine: " + e.getMessage(), e));
      ctx.close();
    }
  }

  private void readResponse(ChannelHandlerContext ctx) {
    if (head == null) {
      head = HttpResponseHead.parse(received.nioBuffer());
      if (head == null) {
        return;
      }
      received.skipBytes(head.length());
      if (upgrade && head.status() == 101) {
        switched = true;
        ctx.channel().config().setAutoRead(false);
        response.complete(new Response(head, new byte[0]));
        return;
      }
    }

    byte[] body = completeBody(false);
    if (body != null) {
      response.complete(new Response(head, body));
      ctx.close();
    }
  }

  /** Returns the body once all of it arrived, or null; at end of stream returns what there is. */
  private byte[] completeBody(boolean endOfStream) {
    if (received.readableBytes() > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("response body longer than " + MAX_BODY_BYTES + " bytes");
    }
    long length = head.contentLength();
    if (head.status() == 101 || head.status() == 204 || head.status() == 304) {
      return new byte[0];
    }
    if (head.chunked()) {
      return ChunkedInputStream.decode(received.nioBuffer(), endOfStream);
    }
    if (length >= 0) {
      if (received.readableBytes() < length) {
        return endOfStream ? readAll() : null;
      }
      byte[] body = new byte[(int) length];
      received.getBytes(received.readerIndex(), body);
      return body;
    }
    return endOfStream ? readAll() : null;
  }

  private byte[] readAll() {
    byte[] body = new byte[received.readableBytes()];
    received.getBytes(received.readerIndex(), body);
    return body;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!response.isDone()) {
      if (head == null) {
        fail(new IOException("the Docker Engine closed the connection before it answered"));
      } else {
        try {
          response.complete(new Response(head, completeBody(true)));
        } catch (IllegalArgumentException e) {
          fail(new IOException("invalid HTTP response from the Docker Engine: " + e.getMessage(), e));
        }
      }
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    request.release();
    if (received != null) {
      received.release();
      received = null;
    }
  }

  private void fail(Throwable cause) {
    response.completeExceptionally(cause);
  }
}
