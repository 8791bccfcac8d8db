package dev.depotrunner.buildkit.filesync;

import dev.depotrunner.buildkit.proto.fsutil.Packet;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.util.function.Function;

/**
 * The outgoing half of a DiffCopy stream, shared by the threads of one transfer.
 *
 * <p>{@link #send} blocks while gRPC's transport buffer is full ({@code isReady()} is false), so a
 * transfer never queues more than one message per sending thread beyond gRPC's threshold. Only the
 * transfer's own threads may call it: a gRPC callback thread must use {@link #sendWithoutWaiting},
 * because the ready signal is delivered on that same thread.
 */
final class PacketChannel<T> {

  private final CallStreamObserver<T> observer;
  private final Function<Packet, T> encoder;
  private boolean closed;
  private int waiting;

  /** The caller must run {@link #onReady} from the observer's on-ready handler. */
  PacketChannel(CallStreamObserver<T> observer, Function<Packet, T> encoder) {
    this.observer = observer;
    this.encoder = encoder;
  }

  /** Thrown to a sending thread when the stream has ended. */
  static final class ClosedException extends Exception {
    private static final long serialVersionUID = 1L;

    ClosedException() {
      super("the stream is closed", null, false, false);
    }
  }

  /** Sends a packet once the transport can take it. */
  synchronized void send(Packet packet) throws InterruptedException, ClosedException {
    while (!closed && !observer.isReady()) {
      waiting++;
      try {
        wait();
      } finally {
        waiting--;
      }
    }
    if (closed) {
      throw new ClosedException();
    }
    observer.onNext(encoder.apply(packet));
  }

  /** Sends a small control packet (REQ, FIN, ERR) without waiting for the transport; returns false if closed. */
  synchronized boolean sendWithoutWaiting(Packet packet) {
    if (closed) {
      return false;
    }
    try {
      observer.onNext(encoder.apply(packet));
    } catch (IllegalStateException e) {
      // gRPC rejects messages on a call that has ended; treat it as closed.
      closed = true;
      return false;
    }
    return true;
  }

  synchronized void onReady() {
    if (waiting > 0) {
      notifyAll();
    }
  }

  /** Ends the stream successfully, unless it has already ended. */
  synchronized void complete() {
    if (!closed) {
      closed = true;
      observer.onCompleted();
      notifyAll();
    }
  }

  /** Ends the stream with an error status, unless it has already ended. */
  synchronized void fail(Status status) {
    if (!closed) {
      closed = true;
      notifyAll();
      try {
        observer.onError(status.asRuntimeException());
      } catch (IllegalStateException e) {
        // The call has already ended, so the status cannot be delivered.
      }
    }
  }

  /** Marks the stream ended by the peer (cancelled or broken); waiting senders wake up and stop. */
  synchronized void abandon() {
    closed = true;
    notifyAll();
  }

  synchronized boolean isClosed() {
    return closed;
  }
}
