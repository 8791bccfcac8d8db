package dev.depotrunner.buildkit.transport;

import com.google.protobuf.UnsafeByteOperations;
import dev.depotrunner.buildkit.proto.control.BytesMessage;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries the bytes of a local channel over a {@code Control.Session} stream of {@link BytesMessage}s,
 * both ways: what the session server writes goes to buildkitd as request messages, and buildkitd's
 * response messages are written to the session server.
 *
 * <p>Flow control: the local channel stops reading while the gRPC stream is not ready and resumes in
 * its on-ready handler; one response message is requested at a time, after the previous one has been
 * written to the local channel.
 */
final class SessionStreamBridge extends ChannelInboundHandlerAdapter
    implements ClientResponseObserver<BytesMessage, BytesMessage> {

  private static final Logger LOG = Logger.getLogger(SessionStreamBridge.class.getName());

  /** Bytes gathered from the local channel before they go out as one request message. */
  static final int MAX_CHUNK_BYTES = 256 * 1024;

  private final Channel local;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final List<ByteBuf> pending = new ArrayList<>();
  private int pendingBytes;
  private volatile ClientCallStreamObserver<BytesMessage> requests;
  private volatile boolean closing;
  private boolean requestsCompleted;
  private boolean started;

  SessionStreamBridge(Channel local) {
    this.local = local;
  }

  /** Completes when buildkitd ends the stream, exceptionally if it failed. */
  CompletableFuture<Void> done() {
    return done;
  }

  // gRPC side: called by the stub before the call starts.
  @Override
  public void beforeStart(ClientCallStreamObserver<BytesMessage> requestStream) {
    this.requests = requestStream;
    requestStream.disableAutoRequestWithInitial(1);
    requestStream.setOnReadyHandler(this::resumeLocalReads);
  }

  /**
   * Takes over the local channel from its {@link EarlyBytes} handler, keeping the bytes it already
   * read (the session server's SETTINGS frame) as the first to send; call before opening the stream.
   */
  void install() {
    EarlyBytes.handOver(local, "session-stream", this, early -> {
      if (early.isReadable()) {
        pending.add(0, early);
        pendingBytes += early.readableBytes();
      } else {
        early.release();
      }
    });
    local.closeFuture().addListener(future -> local.eventLoop().execute(this::completeRequests));
  }

  /**
   * Sends what the local channel read so far and starts reading it; call once the stream has been
   * opened with this observer.
   */
  void start() {
    local.eventLoop().execute(() -> {
      started = true;
      sendPending();
      local.config().setAutoRead(true);
      if (!local.isActive()) {
        completeRequests();
      }
    });
  }

  @Override
  public void onNext(BytesMessage message) {
    ByteBuf data = Unpooled.wrappedBuffer(message.getData().asReadOnlyByteBuffer());
    local
        .writeAndFlush(data)
        .addListener(
            future -> {
              // Keep draining after a failed write so buildkitd's end of stream still arrives.
              requests.request(1);
            });
  }

  @Override
  public void onError(Throwable error) {
    local.close();
    if (closing && Status.fromThrowable(error).getCode() == Status.Code.CANCELLED) {
      done.complete(null);
    } else {
      done.completeExceptionally(error);
    }
  }

  @Override
  public void onCompleted() {
    local.close();
    done.complete(null);
  }

  // Local side: bytes the session server wrote, read on the local channel's event loop.
  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buffer = (ByteBuf) msg;
    pending.add(buffer);
    pendingBytes += buffer.readableBytes();
    if (started && pendingBytes >= MAX_CHUNK_BYTES) {
      sendPending();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!started) {
      // The stream is not open yet; start() sends what arrived.
      return;
    }
    sendPending();
    if (!requests.isReady()) {
      ctx.channel().config().setAutoRead(false);
      // The on-ready handler runs on a gRPC thread and may have fired between the check and the
      // pause, so check once more.
      if (requests.isReady()) {
        ctx.channel().config().setAutoRead(true);
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (started) {
      sendPending();
      completeRequests();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.log(Level.FINE, "session channel failed", cause);
    ctx.close();
  }

  /** Half-closes the stream, as BuildKit's client does when its session ends; buildkitd then ends it. */
  void closeSend() {
    closing = true;
    local.close();
  }

  /** Cancels the stream when buildkitd does not end it after {@link #closeSend()}. */
  void cancel() {
    closing = true;
    requests.cancel("session closed by the client", null);
  }

  private void sendPending() {
    if (pendingBytes == 0) {
      releasePending();
      return;
    }
    byte[] data = new byte[pendingBytes];
    int offset = 0;
    for (ByteBuf buffer : pending) {
      int length = buffer.readableBytes();
      buffer.getBytes(buffer.readerIndex(), data, offset, length);
      offset += length;
    }
    releasePending();
    if (!requestsCompleted) {
      // The array is new and never changed afterwards, so wrapping it without a copy is safe.
      requests.onNext(BytesMessage.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data)).build());
    }
  }

  private void releasePending() {
    for (ByteBuf buffer : pending) {
      buffer.release();
    }
    pending.clear();
    pendingBytes = 0;
  }

  private void completeRequests() {
    if (started && !requestsCompleted && requests != null) {
      requestsCompleted = true;
      requests.onCompleted();
    }
  }

  private void resumeLocalReads() {
    local.config().setAutoRead(true);
  }
}
