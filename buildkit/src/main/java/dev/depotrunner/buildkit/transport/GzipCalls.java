package dev.depotrunner.buildkit.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/** An interceptor that sends every call's messages gzip-compressed, with grpc-java's built-in codec. */
final class GzipCalls implements ClientInterceptor {

  @Override
  public <RequestT, ResponseT> ClientCall<RequestT, ResponseT> interceptCall(
      MethodDescriptor<RequestT, ResponseT> method, CallOptions callOptions, Channel next) {
    return next.newCall(method, callOptions.withCompression("gzip"));
  }
}
