package dev.depotrunner.buildkit.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;

/** Sends every call's messages gzip-compressed; grpc-java's default registry provides the codec. */
final class GzipCalls implements ClientInterceptor {

  @Override
  public <RequestT, ResponseT> ClientCall<RequestT, ResponseT> interceptCall(
      MethodDescriptor<RequestT, ResponseT> method, CallOptions callOptions, Channel next) {
    return next.newCall(method, callOptions.withCompression("gzip"));
  }
}
