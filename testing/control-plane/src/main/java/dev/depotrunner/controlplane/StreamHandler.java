package dev.depotrunner.controlplane;

import com.google.protobuf.Message;
import java.util.function.Consumer;

/** Serves one server-streaming method of the {@link ConnectServer}. */
@FunctionalInterface
public interface StreamHandler<Q extends Message, R extends Message> {

  /**
   * Sends the responses to {@code request} through {@code responses}, then returns to end the stream.
   *
   * @throws ConnectError to end the stream with that error
   */
  void handle(Q request, CallContext context, Consumer<R> responses);
}
