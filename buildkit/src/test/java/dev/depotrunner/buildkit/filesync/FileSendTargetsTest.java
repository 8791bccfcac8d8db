package dev.depotrunner.buildkit.filesync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.filesync.BytesMessage;
import dev.depotrunner.buildkit.proto.fsutil.Packet;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSendTargetsTest {

  @TempDir Path temp;
  private InProcessServer server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  private static Channel withExporter(Channel channel, Integer index) {
    Metadata headers = new Metadata();
    if (index != null) {
      headers.put(FileSendTargets.EXPORTER_ID, index.toString());
    }
    return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Plays the builder's local exporter: sends {@code source} with fsutil's protocol. */
  private void sendDirectory(Integer index, Path source) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Channel channel = withExporter(server.channel, index);
    DiffCopySender[] sender = new DiffCopySender[1];
    ClientCalls.asyncBidiStreamingCall(
        channel.newCall(FileSendTargets.DIFF_COPY, CallOptions.DEFAULT),
        new ClientResponseObserver<byte[], byte[]>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<byte[]> requestStream) {
            PacketChannel<byte[]> out = new PacketChannel<>(requestStream, Packet::toByteArray);
            requestStream.setOnReadyHandler(out::onReady);
            sender[0] = new DiffCopySender(source.toAbsolutePath(), PathFilter.none(), out, "test export");
          }

          @Override
          public void onNext(byte[] message) {
            try {
              sender[0].onPacket(Packet.parseFrom(message));
            } catch (IOException e) {
              done.completeExceptionally(e);
            }
          }

          @Override
          public void onError(Throwable t) {
            sender[0].cancel();
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(null);
          }
        });
    // The call has started now, so the sender may check the stream's readiness.
    sender[0].start();
    try {
      done.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** Plays a tar-like exporter: sends chunks as BytesMessages, then half-closes or cancels. */
  private void sendBytes(Integer index, List<byte[]> chunks, boolean complete) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    var call = withExporter(server.channel, index).newCall(FileSendTargets.DIFF_COPY, CallOptions.DEFAULT);
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<byte[]>() {
      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    for (byte[] chunk : chunks) {
      requests.onNext(BytesMessage.newBuilder().setData(ByteString.copyFrom(chunk)).build().toByteArray());
    }
    if (!complete) {
      requests.onError(Status.CANCELLED.withDescription("export failed").asRuntimeException());
      Thread.sleep(200);
      return;
    }
    requests.onCompleted();
    try {
      done.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void localDirectoryReceivesTree() throws Exception {
    Path source = Files.createDirectories(temp.resolve("source"));
    Files.createDirectories(source.resolve("bin"));
    Files.writeString(source.resolve("bin/app"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(source.resolve("bin/app"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setLastModifiedTime(source.resolve("bin/app"), FileTime.from(1_700_000_000_987_654_321L, TimeUnit.NANOSECONDS));
    Files.createDirectories(source.resolve("empty"));
    Files.writeString(source.resolve("ünïcødé.txt"), "text");
    Files.write(source.resolve("empty.txt"), new byte[0]);
    byte[] large = new byte[3 * 1024 * 1024 + 7];
    new Random(7).nextBytes(large);
    Files.write(source.resolve("large.bin"), large);
    Files.createSymbolicLink(source.resolve("escape"), Path.of("../../../etc"));

    Path out = temp.resolve("out/nested");
    Files.createDirectories(out.getParent());
    Files.writeString(Files.createDirectories(out).resolve("keep.txt"), "merged, not replaced");
    server = new InProcessServer(FileSendTargets.builder().localDirectory(2, out).build());
    sendDirectory(2, source);

    assertEquals("#!/bin/sh\n", Files.readString(out.resolve("bin/app")));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/app"))));
    assertEquals(FileTime.from(1_700_000_000_987_654_321L, TimeUnit.NANOSECONDS), Files.getLastModifiedTime(out.resolve("bin/app")));
    assertEquals(Files.getLastModifiedTime(source.resolve("bin")), Files.getLastModifiedTime(out.resolve("bin")));
    assertTrue(Files.isDirectory(out.resolve("empty")));
    assertEquals("text", Files.readString(out.resolve("ünïcødé.txt")));
    assertEquals(0, Files.size(out.resolve("empty.txt")));
    assertArrayEquals(large, Files.readAllBytes(out.resolve("large.bin")));
    assertEquals(Path.of("../../../etc"), Files.readSymbolicLink(out.resolve("escape")));
    assertEquals("merged, not replaced", Files.readString(out.resolve("keep.txt")));
    try (Stream<Path> files = Files.list(out)) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(".tmp.")));
    }
  }

  @Test
  void localDirectoryReplacesSymlinkInsteadOfFollowingIt() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Path out = Files.createDirectories(temp.resolve("out"));
    Files.createSymbolicLink(out.resolve("bin"), outside);
    Path source = Files.createDirectories(temp.resolve("source"));
    Files.createDirectories(source.resolve("bin"));
    Files.writeString(source.resolve("bin/app"), "app");

    server = new InProcessServer(FileSendTargets.builder().localDirectory(0, out).build());
    sendDirectory(null, source);

    assertFalse(Files.isSymbolicLink(out.resolve("bin")));
    assertEquals("app", Files.readString(out.resolve("bin/app")));
    try (Stream<Path> files = Files.list(outside)) {
      assertEquals(0, files.count(), "nothing written through the old link");
    }
  }

  @Test
  void concurrentExportsMergeIntoOneDirectory() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    List<Path> sources = new java.util.ArrayList<>();
    for (String platform : List.of("amd64", "arm64")) {
      Path source = Files.createDirectories(temp.resolve(platform));
      for (int i = 0; i < 50; i++) {
        Files.createDirectories(source.resolve("shared/dir" + i));
        Files.writeString(source.resolve("shared/dir" + i + "/" + platform + ".txt"), platform);
      }
      sources.add(source);
    }

    server = new InProcessServer(FileSendTargets.builder().localDirectory(0, out).build());
    var first = CompletableFuture.runAsync(() -> sendQuietly(sources.get(0)));
    var second = CompletableFuture.runAsync(() -> sendQuietly(sources.get(1)));
    first.get(60, TimeUnit.SECONDS);
    second.get(60, TimeUnit.SECONDS);

    for (int i = 0; i < 50; i++) {
      assertEquals("amd64", Files.readString(out.resolve("shared/dir" + i + "/amd64.txt")));
      assertEquals("arm64", Files.readString(out.resolve("shared/dir" + i + "/arm64.txt")));
    }
  }

  private void sendQuietly(Path source) {
    try {
      sendDirectory(0, source);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void receiverRejectsPathsOutsideDestination() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    List<Packet> sent = new java.util.ArrayList<>();
    PacketChannel<Packet> channel = new PacketChannel<>(new RecordingObserver(sent), p -> p);
    DiffCopyReceiver receiver = new DiffCopyReceiver(out, channel, "test");
    receiver.onPacket(stat("../evil", 0644));
    ExecutionException error = assertThrows(ExecutionException.class, () -> receiver.done().get());
    assertTrue(error.getCause().getMessage().contains("invalid path from sender: \"../evil\""), error.getCause().getMessage());
    assertEquals(Packet.PacketType.PACKET_ERR, sent.get(sent.size() - 1).getType());
  }

  @Test
  void receiverRejectsEntryInsideSymlink() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    PacketChannel<Packet> channel = new PacketChannel<>(new RecordingObserver(new java.util.ArrayList<>()), p -> p);
    DiffCopyReceiver receiver = new DiffCopyReceiver(out, channel, "test");
    receiver.onPacket(Packet.newBuilder().setType(Packet.PacketType.PACKET_STAT).setStat(
        dev.depotrunner.buildkit.proto.fsutil.Stat.newBuilder().setPath("link").setMode(1 << 27 | 0777).setLinkname("/tmp")).build());
    receiver.onPacket(stat("link/file", 0644));
    ExecutionException error = assertThrows(ExecutionException.class, () -> receiver.done().get());
    assertTrue(error.getCause().getMessage().contains("out of order"), error.getCause().getMessage());
  }

  @Test
  void receiverLinksAfterTargetDataArrives() throws Exception {
    Path out = Files.createDirectories(temp.resolve("out"));
    List<Packet> sent = new java.util.ArrayList<>();
    PacketChannel<Packet> channel = new PacketChannel<>(new RecordingObserver(sent), p -> p);
    DiffCopyReceiver receiver = new DiffCopyReceiver(out, channel, "test");

    // fsutil sends every stat first, then the data the receiver requests: the link precedes the content.
    receiver.onPacket(stat("a.sh", 0755));
    receiver.onPacket(Packet.newBuilder().setType(Packet.PacketType.PACKET_STAT).setStat(
        dev.depotrunner.buildkit.proto.fsutil.Stat.newBuilder().setPath("b.sh").setMode(0755).setLinkname("a.sh")).build());
    receiver.onPacket(Packet.newBuilder().setType(Packet.PacketType.PACKET_STAT).build());
    receiver.onPacket(Packet.newBuilder().setType(Packet.PacketType.PACKET_DATA).setID(0)
        .setData(com.google.protobuf.ByteString.copyFromUtf8("echo hi\n")).build());
    receiver.onPacket(Packet.newBuilder().setType(Packet.PacketType.PACKET_DATA).setID(0).build());

    assertFalse(receiver.done().isCompletedExceptionally(), () -> sent.toString());
    assertEquals(Packet.PacketType.PACKET_FIN, sent.get(sent.size() - 1).getType());
    assertEquals("echo hi\n", Files.readString(out.resolve("b.sh")));
    assertTrue(Files.isSameFile(out.resolve("a.sh"), out.resolve("b.sh")));
  }

  private static Packet stat(String path, int mode) {
    return Packet.newBuilder().setType(Packet.PacketType.PACKET_STAT)
        .setStat(dev.depotrunner.buildkit.proto.fsutil.Stat.newBuilder().setPath(path).setMode(mode)).build();
  }

  @Test
  void fileTargetIsWrittenAtomically() throws Exception {
    Path tar = temp.resolve("dist/image.tar");
    server = new InProcessServer(FileSendTargets.builder().file(1, tar).build());
    sendBytes(1, List.of("first ".getBytes(), "second".getBytes()), true);
    assertEquals("first second", Files.readString(tar));
    try (Stream<Path> files = Files.list(tar.getParent())) {
      assertEquals(List.of(tar), files.toList());
    }
  }

  @Test
  void failedFileExportLeavesNothingBehind() throws Exception {
    Path tar = temp.resolve("image.tar");
    Files.writeString(tar, "previous");
    server = new InProcessServer(FileSendTargets.builder().file(0, tar).build());
    sendBytes(0, List.of("partial".getBytes()), false);
    assertEquals("previous", Files.readString(tar));
    try (Stream<Path> files = Files.list(temp)) {
      assertEquals(List.of(tar), files.toList());
    }
  }

  @Test
  void streamTargetReceivesBytes() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    server = new InProcessServer(FileSendTargets.builder().stream(0, output).build());
    sendBytes(0, List.of("abc".getBytes(), "def".getBytes()), true);
    assertEquals("abcdef", output.toString());
  }

  @Test
  void exportsAreRoutedByExporterIndex() throws Exception {
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    server = new InProcessServer(FileSendTargets.builder().stream(0, first).stream(1, second).build());
    sendBytes(1, List.of("to one".getBytes()), true);
    sendBytes(null, List.of("to zero".getBytes()), true);
    assertEquals("to zero", first.toString());
    assertEquals("to one", second.toString());
  }

  @Test
  void unknownExporterIsNotFound() throws Exception {
    server = new InProcessServer(FileSendTargets.builder().stream(0, new ByteArrayOutputStream()).build());
    Exception error = assertThrows(Exception.class, () -> sendBytes(5, List.of(), true));
    Status status = Status.fromThrowable(error);
    assertEquals(Status.Code.NOT_FOUND, status.getCode());
    assertTrue(status.getDescription().startsWith("exporter 5 not found"), status.getDescription());
  }

  @Test
  void duplicateIndexIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> FileSendTargets.builder().stream(0, new ByteArrayOutputStream()).file(0, temp.resolve("x")));
  }

  /** Records what a receiver sends, as an always-ready stream. */
  private static final class RecordingObserver extends io.grpc.stub.CallStreamObserver<Packet> {
    private final List<Packet> sent;

    RecordingObserver(List<Packet> sent) {
      this.sent = sent;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void onNext(Packet value) {
      sent.add(value);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
