package dev.depotrunner.buildkit.filesync;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Makes a call's request headers available to stub-style service methods, which gRPC does not pass them. */
final class CallHeaders implements ServerInterceptor {

  private static final Context.Key<Metadata> HEADERS = Context.key("filesync-headers");

  /** Returns the headers of the call being handled on this thread, or empty headers outside a call. */
  static Metadata current() {
    Metadata headers = HEADERS.get();
    return headers == null ? new Metadata() : headers;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
  }
}
