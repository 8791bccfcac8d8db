package dev.depotrunner.buildkit.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.content.AbortRequest;
import dev.depotrunner.buildkit.proto.content.ContentGrpc;
import dev.depotrunner.buildkit.proto.content.DeleteContentRequest;
import dev.depotrunner.buildkit.proto.content.Info;
import dev.depotrunner.buildkit.proto.content.InfoRequest;
import dev.depotrunner.buildkit.proto.content.ListContentRequest;
import dev.depotrunner.buildkit.proto.content.ListStatusesRequest;
import dev.depotrunner.buildkit.proto.content.ReadContentRequest;
import dev.depotrunner.buildkit.proto.content.ReadContentResponse;
import dev.depotrunner.buildkit.proto.content.StatusRequest;
import dev.depotrunner.buildkit.proto.content.UpdateRequest;
import dev.depotrunner.buildkit.proto.content.WriteAction;
import dev.depotrunner.buildkit.proto.content.WriteContentRequest;
import dev.depotrunner.buildkit.proto.content.WriteContentResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreServiceTest {

  private static final String STORE_ID = "local:/cache";

  @TempDir Path folder;

  private Server server;
  private ManagedChannel channel;
  private OciLayoutStore store;
  private final List<WriteStream> openStreams = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    store = OciLayoutStore.open(folder.resolve("cache"));
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name)
        .addService(new ContentStoreService(Map.of(STORE_ID, store, "export", OciLayoutStore.open(folder.resolve("export")))))
        .build()
        .start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stopServer() throws Exception {
    // Writers left open by a test close on their own threads; wait so the folder can be deleted.
    for (WriteStream stream : openStreams) {
      if (!stream.completed.isDone() && stream.ref != null) {
        stream.cancel();
        awaitUnlocked(stream.ref);
      }
    }
    channel.shutdownNow();
    server.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void writeCommitThenRead() throws Exception {
    byte[] blob = "hello content store".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(blob);

    WriteStream write = openWrite();
    WriteContentResponse stat = write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.STAT).setRef("layer-1").setTotal(blob.length).setExpected(digest.toString()).build());
    assertEquals(0, stat.getOffset());
    assertEquals(blob.length, stat.getTotal());
    assertTrue(stat.hasStartedAt());

    WriteContentResponse written = write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.WRITE).setOffset(0).setData(ByteString.copyFrom(blob, 0, 5)).build());
    assertEquals(5, written.getOffset());

    WriteContentResponse committed = write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setOffset(5).setData(ByteString.copyFrom(blob, 5, blob.length - 5))
        .setTotal(blob.length).setExpected(digest.toString()).build());
    assertEquals(WriteAction.COMMIT, committed.getAction());
    assertEquals(blob.length, committed.getOffset());
    assertEquals(digest.toString(), committed.getDigest());
    write.awaitCompleted();

    assertArrayEquals(blob, read(digest, 0, 0));
    assertArrayEquals("content".getBytes(StandardCharsets.UTF_8), read(digest, 6, 7));
    assertArrayEquals("store".getBytes(StandardCharsets.UTF_8), read(digest, 14, 100));

    Path blobPath = folder.resolve("cache/blobs/sha256/" + digest.encoded());
    assertArrayEquals(blob, Files.readAllBytes(blobPath));
    assertFalse(Files.isWritable(blobPath) && !isRoot(), "committed blobs are read-only");
    try (var ingests = Files.list(folder.resolve("cache/ingest"))) {
      assertEquals(0, ingests.count(), "commit removes the ingest");
    }
  }

  @Test
  void infoReportsSizeAndMissing() throws Exception {
    byte[] blob = new byte[] {1, 2, 3};
    Digest digest = commit("ref", blob);

    Info info = content().info(InfoRequest.newBuilder().setDigest(digest.toString()).build()).getInfo();
    assertEquals(digest.toString(), info.getDigest());
    assertEquals(3, info.getSize());
    assertTrue(info.getCreatedAt().getSeconds() > 0);

    Digest missing = Digest.sha256(new byte[] {9});
    assertCode(Status.Code.NOT_FOUND, () -> content().info(InfoRequest.newBuilder().setDigest(missing.toString()).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> content().info(InfoRequest.newBuilder().setDigest("sha256:xyz").build()));
  }

  @Test
  void commitDigestMismatchFails() throws Exception {
    byte[] blob = "actual".getBytes(StandardCharsets.UTF_8);
    Digest other = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));

    WriteStream write = openWrite();
    write.send(stat("bad-digest"));
    StatusRuntimeException error = write.sendExpectingError(WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setData(ByteString.copyFrom(blob)).setExpected(other.toString()).build());

    assertEquals(Status.Code.FAILED_PRECONDITION, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("unexpected commit digest"), error.getStatus().getDescription());
    assertFalse(store.info(Digest.sha256(blob)).isPresent());
    assertFalse(store.info(other).isPresent());
  }

  @Test
  void commitSizeMismatchFails() throws Exception {
    WriteStream write = openWrite();
    write.send(stat("bad-size"));
    StatusRuntimeException error = write.sendExpectingError(WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setData(ByteString.copyFromUtf8("four")).setTotal(5).build());

    assertEquals(Status.Code.FAILED_PRECONDITION, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("unexpected commit size 4, expected 5"));
  }

  @Test
  void expectedDigestAlreadyPresentFails() throws Exception {
    byte[] blob = "present".getBytes(StandardCharsets.UTF_8);
    Digest digest = commit("first", blob);

    WriteStream write = openWrite();
    StatusRuntimeException error = write.sendExpectingError(WriteContentRequest.newBuilder()
        .setAction(WriteAction.STAT).setRef("second").setExpected(digest.toString()).build());

    assertEquals(Status.Code.ALREADY_EXISTS, error.getStatus().getCode());
    assertCode(Status.Code.NOT_FOUND, () -> content().status(StatusRequest.newBuilder().setRef("second").build()));
  }

  @Test
  void writeResumesAfterBrokenStream() throws Exception {
    byte[] blob = new byte[300_000];
    new Random(7).nextBytes(blob);
    Digest digest = Digest.sha256(blob);

    WriteStream first = openWrite();
    first.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.STAT).setRef("resumable").setTotal(blob.length).setExpected(digest.toString()).build());
    first.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.WRITE).setOffset(0).setData(ByteString.copyFrom(blob, 0, 100_000)).build());
    first.cancel();
    awaitUnlocked("resumable");

    var status = content().status(StatusRequest.newBuilder().setRef("resumable").build()).getStatus();
    assertEquals("resumable", status.getRef());
    assertEquals(100_000, status.getOffset());
    assertEquals(blob.length, status.getTotal());

    WriteStream second = openWrite();
    WriteContentResponse resumed = second.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.STAT).setRef("resumable").setTotal(blob.length).setExpected(digest.toString()).build());
    assertEquals(100_000, resumed.getOffset());

    WriteContentResponse committed = second.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setOffset(100_000).setData(ByteString.copyFrom(blob, 100_000, 200_000))
        .setTotal(blob.length).setExpected(digest.toString()).build());
    assertEquals(digest.toString(), committed.getDigest());
    assertArrayEquals(blob, read(digest, 0, 0));
  }

  @Test
  void writeAtWrongOffsetFails() throws Exception {
    WriteStream write = openWrite();
    write.send(stat("offsets"));
    write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.WRITE).setData(ByteString.copyFromUtf8("abc")).build());

    StatusRuntimeException error = write.sendExpectingError(WriteContentRequest.newBuilder()
        .setAction(WriteAction.WRITE).setOffset(10).setData(ByteString.copyFromUtf8("def")).build());

    assertEquals(Status.Code.OUT_OF_RANGE, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("write @10 must occur at current offset 3"));
  }

  @Test
  void writeAtOffsetZeroRestarts() throws Exception {
    byte[] blob = "second try".getBytes(StandardCharsets.UTF_8);

    WriteStream write = openWrite();
    write.send(stat("restart"));
    write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.WRITE).setData(ByteString.copyFromUtf8("first try, longer")).build());
    WriteContentResponse committed = write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setOffset(0).setData(ByteString.copyFrom(blob)).build());

    assertEquals(blob.length, committed.getOffset());
    assertEquals(Digest.sha256(blob).toString(), committed.getDigest());
    assertArrayEquals(blob, read(Digest.sha256(blob), 0, 0));
  }

  @Test
  void firstMessageWithoutRefFails() throws Exception {
    StatusRuntimeException error = openWrite().sendExpectingError(
        WriteContentRequest.newBuilder().setAction(WriteAction.STAT).build());

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
  }

  @Test
  void sameRefTwiceIsUnavailable() throws Exception {
    WriteStream first = openWrite();
    first.send(stat("busy"));

    StatusRuntimeException error = openWrite().sendExpectingError(stat("busy"));

    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("ref busy locked"));
  }

  @Test
  void concurrentWritersWithDifferentRefs() throws Exception {
    int writers = 8;
    ExecutorService executor = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Digest>> results = new ArrayList<>();
      List<byte[]> blobs = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] blob = new byte[200_000 + i];
        new Random(i).nextBytes(blob);
        blobs.add(blob);
        String ref = "parallel-" + i;
        results.add(executor.submit(() -> commitInChunks(ref, blob, 16_384)));
      }

      for (int i = 0; i < writers; i++) {
        Digest digest = results.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(Digest.sha256(blobs.get(i)), digest);
        assertArrayEquals(blobs.get(i), read(digest, 0, 0));
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void sameBlobFromTwoRefsCommitsOnce() throws Exception {
    byte[] blob = "shared layer".getBytes(StandardCharsets.UTF_8);
    WriteStream first = openWrite();
    WriteStream second = openWrite();
    first.send(stat("one"));
    second.send(stat("two"));

    first.send(commitRequest(blob));
    StatusRuntimeException error = second.sendExpectingError(commitRequest(blob));

    assertEquals(Status.Code.ALREADY_EXISTS, error.getStatus().getCode());
    assertArrayEquals(blob, read(Digest.sha256(blob), 0, 0));
    assertCode(Status.Code.NOT_FOUND, () -> content().status(StatusRequest.newBuilder().setRef("two").build()));
  }

  @Test
  void statusListAndAbort() throws Exception {
    WriteStream alpha = openWrite();
    alpha.send(stat("alpha"));
    alpha.send(WriteContentRequest.newBuilder().setAction(WriteAction.WRITE).setData(ByteString.copyFromUtf8("aa")).build());
    WriteStream beta = openWrite();
    beta.send(stat("beta"));

    var all = content().listStatuses(ListStatusesRequest.getDefaultInstance()).getStatusesList();
    assertEquals(List.of("alpha", "beta"), all.stream().map(s -> s.getRef()).sorted().toList());

    var filtered = content().listStatuses(ListStatusesRequest.newBuilder().addFilters("ref==alpha").build()).getStatusesList();
    assertEquals(1, filtered.size());
    assertEquals("alpha", filtered.get(0).getRef());
    assertEquals(2, filtered.get(0).getOffset());

    var regex = content().listStatuses(ListStatusesRequest.newBuilder().addFilters("ref~=^b").build()).getStatusesList();
    assertEquals(List.of("beta"), regex.stream().map(s -> s.getRef()).toList());

    assertCode(Status.Code.INVALID_ARGUMENT,
        () -> content().listStatuses(ListStatusesRequest.newBuilder().addFilters("ref==").build()));

    alpha.cancel();
    awaitUnlocked("alpha");
    content().abort(AbortRequest.newBuilder().setRef("alpha").build());
    assertCode(Status.Code.NOT_FOUND, () -> content().status(StatusRequest.newBuilder().setRef("alpha").build()));
    assertCode(Status.Code.NOT_FOUND, () -> content().abort(AbortRequest.newBuilder().setRef("alpha").build()));
  }

  @Test
  void listFiltersAndDelete() throws Exception {
    Digest first = commit("a", "first".getBytes(StandardCharsets.UTF_8));
    Digest second = commit("b", "second".getBytes(StandardCharsets.UTF_8));

    List<String> listed = new ArrayList<>();
    content().list(ListContentRequest.getDefaultInstance())
        .forEachRemaining(response -> response.getInfoList().forEach(info -> listed.add(info.getDigest())));
    assertEquals(List.of(first.toString(), second.toString()).stream().sorted().toList(), listed.stream().sorted().toList());

    List<String> filtered = new ArrayList<>();
    content().list(ListContentRequest.newBuilder().addFilters("digest==" + second).build())
        .forEachRemaining(response -> response.getInfoList().forEach(info -> filtered.add(info.getDigest())));
    assertEquals(List.of(second.toString()), filtered);

    content().delete(DeleteContentRequest.newBuilder().setDigest(first.toString()).build());
    assertFalse(store.info(first).isPresent());
    assertCode(Status.Code.NOT_FOUND, () -> content().delete(DeleteContentRequest.newBuilder().setDigest(first.toString()).build()));
  }

  @Test
  void listSendsBatchesOfHundred() throws Exception {
    // Placed on disk directly: 150 commits with their fsyncs would slow the test down for nothing.
    Files.createDirectories(folder.resolve("cache/blobs/sha256"));
    for (int i = 0; i < 150; i++) {
      byte[] blob = ("blob " + i).getBytes(StandardCharsets.UTF_8);
      Files.write(folder.resolve("cache/blobs/sha256/" + Digest.sha256(blob).encoded()), blob);
    }

    List<Integer> batchSizes = new ArrayList<>();
    content().list(ListContentRequest.getDefaultInstance()).forEachRemaining(response -> batchSizes.add(response.getInfoCount()));

    assertEquals(List.of(100, 50), batchSizes);
  }

  @Test
  void updateIsRejected() throws Exception {
    Digest digest = commit("ref", new byte[] {4});

    assertCode(Status.Code.FAILED_PRECONDITION, () -> content().update(UpdateRequest.newBuilder()
        .setInfo(Info.newBuilder().setDigest(digest.toString()).putLabels("a", "b")).build()));
  }

  @Test
  void readLargeBlobInChunks() throws Exception {
    byte[] blob = new byte[3 * 1024 * 1024 + 17];
    new Random(3).nextBytes(blob);
    Digest digest = commitInChunks("large", blob, 1 << 20);

    List<ReadContentResponse> chunks = new ArrayList<>();
    content().read(ReadContentRequest.newBuilder().setDigest(digest.toString()).build()).forEachRemaining(chunks::add);

    assertEquals(4, chunks.size());
    assertEquals(0, chunks.get(0).getOffset());
    assertEquals(1 << 20, chunks.get(1).getOffset());
    var joined = new ByteArrayOutputStream();
    for (ReadContentResponse chunk : chunks) {
      chunk.getData().writeTo(joined);
    }
    assertArrayEquals(blob, joined.toByteArray());
  }

  @Test
  void readPastEndIsOutOfRange() throws Exception {
    Digest digest = commit("ref", new byte[] {1, 2});

    assertCode(Status.Code.OUT_OF_RANGE, () -> read(digest, 3, 0));
    assertEquals(0, read(digest, 2, 0).length);
    assertCode(Status.Code.NOT_FOUND, () -> read(Digest.sha256(new byte[] {8}), 0, 0));
  }

  @Test
  void unknownStoreIsNotFound() {
    var stub = ContentGrpc.newBlockingStub(channel).withInterceptors(storeHeader("local:/elsewhere"));

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub.info(InfoRequest.newBuilder().setDigest(Digest.sha256(new byte[0]).toString()).build()));

    assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("unknown store local:/elsewhere"));
  }

  @Test
  void missingStoreHeaderIsInvalid() {
    var stub = ContentGrpc.newBlockingStub(channel);

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> stub.info(InfoRequest.newBuilder().setDigest(Digest.sha256(new byte[0]).toString()).build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode());
  }

  @Test
  void firstStoreHeaderChoosesStore() throws Exception {
    Digest digest = commit("ref", new byte[] {5});
    Metadata headers = new Metadata();
    Metadata.Key<String> key = Metadata.Key.of(ContentStoreService.STORE_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER);
    headers.put(key, STORE_ID);
    headers.put(key, "export");
    var stub = ContentGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

    assertEquals(1, stub.info(InfoRequest.newBuilder().setDigest(digest.toString()).build()).getInfo().getSize());
  }

  @Test
  void storesAreSeparate() throws Exception {
    Digest digest = commit("ref", new byte[] {6});
    var export = ContentGrpc.newBlockingStub(channel).withInterceptors(storeHeader("export"));

    assertCode(Status.Code.NOT_FOUND, () -> export.info(InfoRequest.newBuilder().setDigest(digest.toString()).build()));
  }

  // Helpers

  private ContentGrpc.ContentBlockingStub content() {
    return ContentGrpc.newBlockingStub(channel).withInterceptors(storeHeader(STORE_ID));
  }

  private static io.grpc.ClientInterceptor storeHeader(String id) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(ContentStoreService.STORE_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER), id);
    return MetadataUtils.newAttachHeadersInterceptor(headers);
  }

  private byte[] read(Digest digest, long offset, long size) throws IOException {
    var out = new ByteArrayOutputStream();
    Iterator<ReadContentResponse> responses = content().read(
        ReadContentRequest.newBuilder().setDigest(digest.toString()).setOffset(offset).setSize(size).build());
    while (responses.hasNext()) {
      responses.next().getData().writeTo(out);
    }
    return out.toByteArray();
  }

  private Digest commit(String ref, byte[] blob) throws Exception {
    WriteStream write = openWrite();
    write.send(stat(ref));
    WriteContentResponse committed = write.send(commitRequest(blob));
    write.awaitCompleted();
    return Digest.parse(committed.getDigest());
  }

  private Digest commitInChunks(String ref, byte[] blob, int chunk) throws Exception {
    Digest digest = Digest.sha256(blob);
    WriteStream write = openWrite();
    write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.STAT).setRef(ref).setTotal(blob.length).setExpected(digest.toString()).build());
    for (int offset = 0; offset < blob.length; offset += chunk) {
      int length = Math.min(chunk, blob.length - offset);
      write.send(WriteContentRequest.newBuilder()
          .setAction(WriteAction.WRITE).setOffset(offset).setData(ByteString.copyFrom(blob, offset, length)).build());
    }
    WriteContentResponse committed = write.send(WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setOffset(blob.length).setTotal(blob.length).setExpected(digest.toString()).build());
    write.awaitCompleted();
    return Digest.parse(committed.getDigest());
  }

  private static WriteContentRequest stat(String ref) {
    return WriteContentRequest.newBuilder().setAction(WriteAction.STAT).setRef(ref).build();
  }

  private static WriteContentRequest commitRequest(byte[] blob) {
    return WriteContentRequest.newBuilder()
        .setAction(WriteAction.COMMIT).setData(ByteString.copyFrom(blob))
        .setTotal(blob.length).setExpected(Digest.sha256(blob).toString()).build();
  }

  /** Waits until the server has released a cancelled stream's ref. */
  private void awaitUnlocked(String ref) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      try {
        store.writer(ref, 0, null).close();
        return;
      } catch (StoreException e) {
        if (e.kind() != StoreException.Kind.UNAVAILABLE) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
    throw new AssertionError("ref " + ref + " still locked");
  }

  private static void assertCode(Status.Code code, org.junit.jupiter.api.function.Executable call) {
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, error.getStatus().getCode(), error.getStatus().toString());
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private WriteStream openWrite() {
    var stream = new WriteStream();
    openStreams.add(stream);
    ContentGrpc.newStub(channel).withInterceptors(storeHeader(STORE_ID)).write(stream);
    return stream;
  }

  /** A Write stream driven one request and one response at a time, as containerd's remote writer does. */
  private static final class WriteStream implements ClientResponseObserver<WriteContentRequest, WriteContentResponse> {
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> completed = new CompletableFuture<>();
    private ClientCallStreamObserver<WriteContentRequest> requests;
    private String ref;

    @Override
    public void beforeStart(ClientCallStreamObserver<WriteContentRequest> requestStream) {
      this.requests = requestStream;
    }

    @Override
    public void onNext(WriteContentResponse value) {
      events.add(value);
    }

    @Override
    public void onError(Throwable t) {
      events.add(t);
      completed.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      completed.complete(null);
    }

    WriteContentResponse send(WriteContentRequest request) throws Exception {
      if (ref == null && !request.getRef().isEmpty()) {
        ref = request.getRef();
      }
      requests.onNext(request);
      Object event = events.poll(10, TimeUnit.SECONDS);
      if (event instanceof WriteContentResponse response) {
        return response;
      }
      throw new AssertionError("expected a response, got " + event, event instanceof Throwable t ? t : null);
    }

    StatusRuntimeException sendExpectingError(WriteContentRequest request) throws Exception {
      requests.onNext(request);
      Object event = events.poll(10, TimeUnit.SECONDS);
      if (event instanceof StatusRuntimeException error) {
        return error;
      }
      throw new AssertionError("expected an error, got " + event);
    }

    void awaitCompleted() throws Exception {
      completed.get(10, TimeUnit.SECONDS);
    }

    void cancel() {
      requests.cancel("test breaks the stream", null);
    }
  }
}
