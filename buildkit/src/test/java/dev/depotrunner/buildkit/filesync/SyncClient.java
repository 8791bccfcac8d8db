package dev.depotrunner.buildkit.filesync;

import dev.depotrunner.buildkit.proto.filesync.FileSyncGrpc;
import dev.depotrunner.buildkit.proto.fsutil.Packet;
import dev.depotrunner.buildkit.proto.fsutil.Stat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plays the builder's part of FileSync.DiffCopy: sends BuildKit's headers, receives the folder into a
 * directory with {@link DiffCopyReceiver} and records every STAT in order.
 */
final class SyncClient {

  private final Channel channel;

  SyncClient(Channel channel) {
    this.channel = channel;
  }

  /** The outcome of one transfer. */
  record Result(List<Stat> stats, Throwable error) {
    List<String> paths() {
      return stats.stream().map(Stat::getPath).toList();
    }
  }

  static Metadata headers(String dirName) {
    Metadata headers = new Metadata();
    headers.put(key(SyncRequest.DIR_NAME), dirName);
    return headers;
  }

  static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }

  /** Builds headers the way BuildKit's FSSync does, escaping a key's values if any is not ASCII. */
  static Metadata headers(String dirName, List<String> includes, List<String> excludes, List<String> followPaths) {
    Metadata headers = new Metadata();
    putEncoded(headers, SyncRequest.DIR_NAME, List.of(dirName));
    putEncoded(headers, SyncRequest.INCLUDE_PATTERNS, includes);
    putEncoded(headers, SyncRequest.EXCLUDE_PATTERNS, excludes);
    putEncoded(headers, SyncRequest.FOLLOW_PATHS, followPaths);
    return headers;
  }

  private static void putEncoded(Metadata headers, String key, List<String> values) {
    boolean encode = values.stream().anyMatch(v -> v.chars().anyMatch(c -> c > 0x7F));
    for (String value : values) {
      headers.put(key(key), encode ? java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8) : value);
    }
    if (encode) {
      headers.put(key(key + "-encoded"), "1");
    }
  }

  Result receive(Metadata headers, Path destination) throws Exception {
    List<Stat> stats = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> callDone = new CompletableFuture<>();
    DiffCopyReceiver[] receiver = new DiffCopyReceiver[1];
    PacketChannel<?>[] requests = new PacketChannel<?>[1];

    Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    ClientCalls.asyncBidiStreamingCall(
        withHeaders.newCall(FileSyncGrpc.getDiffCopyMethod(), CallOptions.DEFAULT),
        new ClientResponseObserver<Packet, Packet>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<Packet> requestStream) {
            PacketChannel<Packet> out = new PacketChannel<>(requestStream, packet -> packet);
            requestStream.setOnReadyHandler(out::onReady);
            requests[0] = out;
            receiver[0] = new DiffCopyReceiver(destination, out, "test receive");
            receiver[0].done().whenComplete((ignored, error) -> {
              if (error == null) {
                // Like BuildKit, half-close only after the sender confirmed with FIN.
                out.complete();
              }
            });
          }

          @Override
          public void onNext(Packet packet) {
            if (packet.getType() == Packet.PacketType.PACKET_STAT && packet.hasStat()) {
              stats.add(packet.getStat());
            }
            receiver[0].onPacket(packet);
          }

          @Override
          public void onError(Throwable t) {
            receiver[0].cancel(t);
            callDone.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            callDone.complete(null);
          }
        });

    Throwable error = null;
    try {
      callDone.get(60, TimeUnit.SECONDS);
      receiver[0].done().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      error = e.getCause();
      requests[0].fail(io.grpc.Status.CANCELLED);
    }
    return new Result(List.copyOf(stats), error);
  }
}
