package dev.depotrunner.buildkit.filesync;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.depotrunner.buildkit.proto.fsutil.Packet;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code type=local} export arriving as fsutil packets, written into a directory. */
final class DirectoryExport {

  private DirectoryExport() {}

  static StreamObserver<byte[]> start(ServerCallStreamObserver<byte[]> observer, Path directory, int exporterIndex) {
    PacketChannel<byte[]> channel = new PacketChannel<>(observer, Packet::toByteArray);
    observer.setOnReadyHandler(channel::onReady);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      observer.setOnCancelHandler(() -> {});
      channel.fail(Status.UNKNOWN.withDescription("failed to create export directory " + directory + ": " + e.getMessage()));
      return ByteExport.discarding();
    }

    DiffCopyReceiver receiver = new DiffCopyReceiver(directory, channel, "export " + exporterIndex + " to " + directory);
    observer.setOnCancelHandler(() -> {
      channel.abandon();
      receiver.cancel(Status.CANCELLED.withDescription("the builder cancelled the export").asRuntimeException());
    });
    receiver.done().whenComplete((ignored, error) -> {
      if (error == null) {
        channel.complete();
      } else {
        channel.fail(Status.UNKNOWN.withDescription(error.getMessage()).withCause(error));
      }
    });

    return new StreamObserver<>() {
      @Override
      public void onNext(byte[] message) {
        Packet packet;
        try {
          packet = Packet.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
          receiver.cancel(new IOException("invalid packet from the builder: " + e.getMessage(), e));
          return;
        }
        receiver.onPacket(packet);
      }

      @Override
      public void onError(Throwable t) {
        receiver.cancel(t);
      }

      @Override
      public void onCompleted() {
        if (!receiver.done().isDone()) {
          receiver.cancel(new IOException("the builder closed the stream before the export finished"));
        }
      }
    };
  }
}
