package dev.depotrunner.buildkit.ssh;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.ssh.BytesMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One ForwardAgent stream: reassembles the builder's ssh-agent messages from the stream's byte
 * chunks, passes each to the agent, and sends back the framed response.
 *
 * <p>gRPC delivers the stream's events one at a time, so the agent receives one request at a time.
 * {@link Agent#handle} blocks while the agent works, on the thread of the server's executor.
 */
final class AgentForwarding implements StreamObserver<BytesMessage> {

  private static final System.Logger LOG = System.getLogger(AgentForwarding.class.getName());

  private final String id;
  private final Agent agent;
  private final StreamObserver<BytesMessage> responses;
  private byte[] pending = new byte[0];
  private boolean finished;
  private volatile boolean cancelled;

  AgentForwarding(String id, Agent agent, StreamObserver<BytesMessage> responses) {
    this.id = id;
    this.agent = agent;
    this.responses = responses;
  }

  @Override
  public void onNext(BytesMessage message) {
    if (finished) {
      return;
    }
    pending = concat(pending, message.getData().toByteArray());

    try {
      while (pending.length >= 4) {
        int length = ByteBuffer.wrap(pending, 0, 4).getInt();
        if (length < 0 || length > AgentProtocol.MAX_MESSAGE_BYTES) {
          throw new IOException("the builder sent an ssh-agent message of invalid length " + length);
        }
        if (pending.length < 4 + length) {
          return;
        }
        byte[] request = Arrays.copyOfRange(pending, 4, 4 + length);
        pending = Arrays.copyOfRange(pending, 4 + length, pending.length);
        respond(agent.handle(request));
      }
    } catch (IOException e) {
      fail(e);
    }
  }

  private void respond(byte[] response) {
    ByteBuffer frame = ByteBuffer.allocate(4 + response.length);
    frame.putInt(response.length).put(response);
    responses.onNext(BytesMessage.newBuilder().setData(ByteString.copyFrom(frame.array())).build());
  }

  private void fail(IOException e) {
    // Cancelling closes the agent connection, which fails the request it was serving.
    if (!cancelled) {
      LOG.log(
          System.Logger.Level.WARNING, "ssh forwarding for id " + id + " failed: " + e.getMessage());
    }
    finished = true;
    agent.close();
    responses.onError(
        Status.UNAVAILABLE
            .withDescription("ssh forwarding for id " + id + " failed: " + e.getMessage())
            .withCause(e)
            .asRuntimeException());
  }

  @Override
  public void onError(Throwable t) {
    finished = true;
    agent.close();
  }

  /** Ends the stream once the builder has closed its side, because every request has its response. */
  @Override
  public void onCompleted() {
    if (finished) {
      return;
    }
    finished = true;
    agent.close();
    responses.onCompleted();
  }

  /** Closes the agent connection when the builder cancels; runs on another thread. */
  void cancel() {
    cancelled = true;
    agent.close();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] joined = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, joined, first.length, second.length);
    return joined;
  }
}
