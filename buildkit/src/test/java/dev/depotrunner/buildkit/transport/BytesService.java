package dev.depotrunner.buildkit.transport;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session service for tests, on raw byte messages: {@code test.Bytes/Echo} streams every message
 * back, {@code test.Bytes/Download} sends the number of bytes named in its request as a counting
 * pattern, honouring flow control as FileSync does.
 */
final class BytesService {

  static final String NAME = "test.Bytes";
  static final int CHUNK_BYTES = 32 * 1024;

  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.newBuilder(BYTES, BYTES)
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName(NAME + "/Echo")
          .build();

  static final MethodDescriptor<byte[], byte[]> DOWNLOAD =
      MethodDescriptor.newBuilder(BYTES, BYTES)
          .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
          .setFullMethodName(NAME + "/Download")
          .build();

  /** Bytes the Download method has handed to gRPC so far. */
  final AtomicLong downloadSent = new AtomicLong();

  ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(NAME)
        .addMethod(ECHO, ServerCalls.asyncBidiStreamingCall(this::echo))
        .addMethod(DOWNLOAD, ServerCalls.asyncServerStreamingCall(this::download))
        .build();
  }

  private StreamObserver<byte[]> echo(StreamObserver<byte[]> responses) {
    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        responses.onNext(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onCompleted();
      }
    };
  }

  private void download(byte[] request, StreamObserver<byte[]> observer) {
    long total = ByteBuffer.wrap(request).getLong();
    ServerCallStreamObserver<byte[]> responses = (ServerCallStreamObserver<byte[]>) observer;
    long[] offset = {0};
    boolean[] finished = {false};
    Runnable pump =
        () -> {
          while (responses.isReady() && offset[0] < total) {
            int length = (int) Math.min(CHUNK_BYTES, total - offset[0]);
            responses.onNext(pattern(offset[0], length));
            offset[0] += length;
            downloadSent.addAndGet(length);
          }
          if (offset[0] == total && !finished[0]) {
            finished[0] = true;
            responses.onCompleted();
          }
        };
    responses.setOnReadyHandler(pump);
    pump.run();
  }

  /** Returns the bytes of the counting pattern at {@code offset}. */
  static byte[] pattern(long offset, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) ((offset + i) * 31 >>> 3);
    }
    return bytes;
  }

  static byte[] request(long total) {
    return ByteBuffer.allocate(8).putLong(total).array();
  }

  static boolean matchesPattern(long offset, byte[] bytes) {
    return Arrays.equals(bytes, pattern(offset, bytes.length));
  }
}
