package dev.depotrunner.buildkit.filesync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depotrunner.buildkit.proto.filesync.FileSyncGrpc;
import dev.depotrunner.buildkit.proto.fsutil.Packet;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures FileSync over a real HTTP/2 connection on loopback: a generated context of
 * {@code filesync.files} files (default 100,000) of about 1 KiB each, requested in full by a receiver
 * that discards the data, then by one that writes it to disk. Prints the times; asserts only counts.
 *
 * <p>Run with {@code mvn -pl buildkit test -Dtest=FileSyncThroughputTest -Dfilesync.benchmark=true}; add
 * {@code -Dfilesync.inprocess=true} to use gRPC's in-process transport instead of loopback TCP.
 */
@EnabledIfSystemProperty(named = "filesync.benchmark", matches = "true")
class FileSyncThroughputTest {

  @TempDir Path temp;

  @Test
  void hundredThousandFiles() throws Exception {
    int files = Integer.getInteger("filesync.files", 100_000);
    Path context = Files.createDirectory(temp.resolve("context"));
    long bytes = generate(context, files);
    System.out.printf("generated %,d files, %,d bytes%n", files, bytes);

    Server server;
    ManagedChannel channel;
    if (Boolean.getBoolean("filesync.inprocess")) {
      // Isolates this package's cost from HTTP/2 and thread hand-offs.
      String name = InProcessServerBuilder.generateName();
      server = InProcessServerBuilder.forName(name).directExecutor()
          .addService(FileSyncService.of(Map.of("context", context))).build().start();
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    } else {
      NettyServerBuilder serverBuilder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(FileSyncService.of(Map.of("context", context)));
      if (Boolean.getBoolean("filesync.direct")) {
        // FileSyncService never blocks in a gRPC callback, so it can run on the transport's threads.
        serverBuilder.directExecutor();
      }
      server = serverBuilder.build().start();
      channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
          .executor(Boolean.getBoolean("filesync.direct") ? Runnable::run : null).build();
    }
    try {
      for (int run = 1; run <= 2; run++) {
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        int[] entries = new int[1];
        ContextWalker.walk(context.toRealPath(), PathFilter.none(), stat -> entries[0]++);
        report("walk only, run " + run, start, cpu, entries[0], 0);
      }
      for (int run = 1; run <= 4; run++) {
        long start = System.nanoTime();
        long cpu = processCpuNanos();
        long[] counts = receiveDiscarding(channel);
        report("discarding receiver, run " + run, start, cpu, counts[0], counts[1]);
        assertEquals(files, counts[0]);
        assertEquals(bytes, counts[1]);
      }

      Path out = Files.createDirectory(temp.resolve("out"));
      long start = System.nanoTime();
      long cpu = processCpuNanos();
      SyncClient.Result result = new SyncClient(channel).receive(SyncClient.headers("context"), out);
      report("receiver writing to disk", start, cpu, result.stats().size(), bytes);
      assertEquals(null, result.error());
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  private static void report(String label, long startNanos, long startCpuNanos, long files, long bytes) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double cpuSeconds = (processCpuNanos() - startCpuNanos) / 1e9;
    System.out.printf("%s: %,d files, %,d bytes in %.2f s, %.2f s of CPU (%.0f files/s, %.1f MB/s)%n",
        label, files, bytes, seconds, cpuSeconds, files / seconds, bytes / seconds / 1e6);
  }

  /** Returns the CPU time of this JVM (sender and receiver both), less sensitive to other load than wall time. */
  private static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
  }

  /** Writes {@code files} files of 512 to 1535 bytes in folders of 1,000 and returns the total size. */
  private static long generate(Path context, int files) throws Exception {
    Random random = new Random(1);
    byte[] content = new byte[1536];
    random.nextBytes(content);
    long total = 0;
    for (int i = 0; i < files; i++) {
      Path dir = context.resolve("dir" + (i / 1000));
      if (i % 1000 == 0) {
        Files.createDirectory(dir);
      }
      int size = 512 + random.nextInt(1024);
      Files.write(dir.resolve("file" + i + ".txt"), java.util.Arrays.copyOf(content, size));
      total += size;
    }
    return total;
  }

  /** Requests every regular file and counts what arrives, like BuildKit's receiver without a disk. */
  private static long[] receiveDiscarding(ManagedChannel channel) throws Exception {
    CompletableFuture<long[]> done = new CompletableFuture<>();
    var call = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(SyncClient.headers("context")))
        .newCall(FileSyncGrpc.getDiffCopyMethod(), CallOptions.DEFAULT);
    ClientCalls.asyncBidiStreamingCall(call, new ClientResponseObserver<Packet, Packet>() {
      ClientCallStreamObserver<Packet> requests;
      final Set<Integer> outstanding = new HashSet<>();
      int id;
      boolean listed;
      long files;
      long bytes;

      @Override
      public void beforeStart(ClientCallStreamObserver<Packet> requestStream) {
        requests = requestStream;
      }

      @Override
      public void onNext(Packet packet) {
        switch (packet.getType()) {
          case PACKET_STAT -> {
            if (!packet.hasStat()) {
              listed = true;
              finishIfDone();
              return;
            }
            int current = id++;
            if (packet.getStat().getMode() >= 0 && UnixStat.canRequestData(packet.getStat().getMode())) {
              outstanding.add(current);
              requests.onNext(Packet.newBuilder().setType(Packet.PacketType.PACKET_REQ).setID(current).build());
            }
          }
          case PACKET_DATA -> {
            if (packet.getData().isEmpty()) {
              outstanding.remove(packet.getID());
              files++;
              finishIfDone();
            } else {
              bytes += packet.getData().size();
            }
          }
          case PACKET_FIN -> requests.onCompleted();
          default -> done.completeExceptionally(new IllegalStateException("unexpected " + packet.getType()));
        }
      }

      private void finishIfDone() {
        if (listed && outstanding.isEmpty()) {
          requests.onNext(Packet.newBuilder().setType(Packet.PacketType.PACKET_FIN).build());
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(new long[] {files, bytes});
      }
    });
    return done.get(10, TimeUnit.MINUTES);
  }
}
