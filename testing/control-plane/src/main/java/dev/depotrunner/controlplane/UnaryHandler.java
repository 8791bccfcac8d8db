package dev.depotrunner.controlplane;

import com.google.protobuf.Message;

/** Serves one unary method of the {@link ConnectServer}. */
@FunctionalInterface
public interface UnaryHandler<Q extends Message, R extends Message> {

  /**
   * Returns the response to {@code request}.
   *
   * @throws ConnectError to fail the call with that code and message
   */
  R handle(Q request, CallContext context);
}
