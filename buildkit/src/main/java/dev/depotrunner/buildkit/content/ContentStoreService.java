package dev.depotrunner.buildkit.content;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import dev.depotrunner.buildkit.proto.content.AbortRequest;
import dev.depotrunner.buildkit.proto.content.ContentGrpc;
import dev.depotrunner.buildkit.proto.content.DeleteContentRequest;
import dev.depotrunner.buildkit.proto.content.Info;
import dev.depotrunner.buildkit.proto.content.InfoRequest;
import dev.depotrunner.buildkit.proto.content.InfoResponse;
import dev.depotrunner.buildkit.proto.content.ListContentRequest;
import dev.depotrunner.buildkit.proto.content.ListContentResponse;
import dev.depotrunner.buildkit.proto.content.ListStatusesRequest;
import dev.depotrunner.buildkit.proto.content.ListStatusesResponse;
import dev.depotrunner.buildkit.proto.content.ReadContentRequest;
import dev.depotrunner.buildkit.proto.content.ReadContentResponse;
import dev.depotrunner.buildkit.proto.content.StatusRequest;
import dev.depotrunner.buildkit.proto.content.StatusResponse;
import dev.depotrunner.buildkit.proto.content.UpdateRequest;
import dev.depotrunner.buildkit.proto.content.UpdateResponse;
import dev.depotrunner.buildkit.proto.content.WriteAction;
import dev.depotrunner.buildkit.proto.content.WriteContentRequest;
import dev.depotrunner.buildkit.proto.content.WriteContentResponse;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * containerd's Content service ({@code /containerd.services.content.v1.Content/*}) served on a
 * BuildKit session, with the semantics of containerd's contentserver. Each call names its store with
 * the {@value #STORE_ID_HEADER} header, as BuildKit's session content caller sends it: {@code
 * local:<dir>} for a local cache, {@code export} for an OCI layout export, {@code oci:<key>} for an
 * OCI layout build context.
 */
public final class ContentStoreService implements BindableService {

  /** The gRPC header that names the store, from moby/buildkit session/content. */
  public static final String STORE_ID_HEADER = "buildkit-attachable-store-id";

  private static final System.Logger LOG = System.getLogger(ContentStoreService.class.getName());
  private static final Metadata.Key<String> STORE_ID_KEY =
      Metadata.Key.of(STORE_ID_HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> STORE_ID = Context.key(STORE_ID_HEADER);

  /** Matches containerd's buffer size, well below gRPC's default 4 MiB message limit. */
  private static final int READ_CHUNK_BYTES = 1 << 20;
  private static final int LIST_BATCH = 100;

  private final Map<String, OciLayoutStore> stores;

  /** Serves {@code stores}, keyed by the store id BuildKit sends. */
  public ContentStoreService(Map<String, OciLayoutStore> stores) {
    this.stores = Map.copyOf(stores);
  }

  public Set<String> storeIds() {
    return stores.keySet();
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(new Content().bindService(), new StoreIdInterceptor());
  }

  /** Moves the store id header into the call's context, where the handlers read it. */
  private static final class StoreIdInterceptor implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      // BuildKit puts its id before any inherited values, so the first one counts.
      Iterable<String> values = headers.getAll(STORE_ID_KEY);
      String id = values == null ? null : values.iterator().next();
      return Contexts.interceptCall(Context.current().withValue(STORE_ID, id), call, headers, next);
    }
  }

  private OciLayoutStore chooseStore() {
    String id = STORE_ID.get();
    if (id == null) {
      throw Status.INVALID_ARGUMENT
          .withDescription("request lacks metadata \"" + STORE_ID_HEADER + "\"")
          .asRuntimeException();
    }
    OciLayoutStore store = stores.get(id);
    if (store == null) {
      throw Status.NOT_FOUND
          .withDescription("unknown store " + id + "; this session serves " + stores.keySet())
          .asRuntimeException();
    }
    return store;
  }

  private final class Content extends ContentGrpc.ContentImplBase {

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> responseObserver) {
      try {
        OciLayoutStore store = chooseStore();
        BlobInfo info = store.requireInfo(parseDigest(request.getDigest()));
        responseObserver.onNext(InfoResponse.newBuilder().setInfo(toProto(info)).build());
        responseObserver.onCompleted();
      } catch (Exception e) {
        responseObserver.onError(toStatus("info", e));
      }
    }

    @Override
    public void update(UpdateRequest request, StreamObserver<UpdateResponse> responseObserver) {
      try {
        OciLayoutStore store = chooseStore();
        BlobInfo info = store.update(parseDigest(request.getInfo().getDigest()));
        responseObserver.onNext(UpdateResponse.newBuilder().setInfo(toProto(info)).build());
        responseObserver.onCompleted();
      } catch (Exception e) {
        responseObserver.onError(toStatus("update", e));
      }
    }

    @Override
    public void list(ListContentRequest request, StreamObserver<ListContentResponse> responseObserver) {
      try {
        OciLayoutStore store = chooseStore();
        Filters filters = Filters.parse(request.getFiltersList());
        List<Info> batch = new ArrayList<>();
        store.walk(filters, info -> {
          batch.add(toProto(info));
          if (batch.size() >= LIST_BATCH) {
            responseObserver.onNext(ListContentResponse.newBuilder().addAllInfo(batch).build());
            batch.clear();
          }
        });
        if (!batch.isEmpty()) {
          responseObserver.onNext(ListContentResponse.newBuilder().addAllInfo(batch).build());
        }
        responseObserver.onCompleted();
      } catch (Exception e) {
        responseObserver.onError(toStatus("list", e));
      }
    }

    @Override
    public void delete(DeleteContentRequest request, StreamObserver<Empty> responseObserver) {
      try {
        OciLayoutStore store = chooseStore();
        store.delete(parseDigest(request.getDigest()));
        responseObserver.onNext(Empty.getDefaultInstance());
        responseObserver.onCompleted();
      } catch (Exception e) {
        responseObserver.onError(toStatus("delete", e));
      }
    }

    @Override
    public void read(ReadContentRequest request, StreamObserver<ReadContentResponse> responseObserver) {
      var call = (ServerCallStreamObserver<ReadContentResponse>) responseObserver;
      try {
        OciLayoutStore store = chooseStore();
        Digest digest = parseDigest(request.getDigest());
        long blobSize = store.requireInfo(digest).size();

        long offset = Math.max(request.getOffset(), 0);
        if (offset > blobSize) {
          throw new StoreException(StoreException.Kind.OUT_OF_RANGE, "read past object length " + blobSize + " bytes");
        }
        // The requested size may reach past the end, because the caller may not know the blob's size.
        long size = request.getSize();
        long end = size <= 0 || offset + size > blobSize ? blobSize : offset + size;

        var pump = new ReadPump(call, store.openBlob(digest), offset, end);
        call.setOnCancelHandler(pump::close);
        call.setOnReadyHandler(pump::run);
        pump.run();
      } catch (Exception e) {
        responseObserver.onError(toStatus("read", e));
      }
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> responseObserver) {
      try {
        OciLayoutStore store = chooseStore();
        IngestStatus status;
        try {
          status = store.status(request.getRef());
        } catch (StoreException e) {
          throw new StoreException(e.kind(), "could not get status for ref \"" + request.getRef() + "\": " + e.getMessage(), e);
        }
        responseObserver.onNext(StatusResponse.newBuilder().setStatus(toProto(status)).build());
        responseObserver.onCompleted();
      } catch (Exception e) {
        responseObserver.onError(toStatus("status", e));
      }
    }

    @Override
    public void listStatuses(ListStatusesRequest request, StreamObserver<ListStatusesResponse> responseObserver) {
      try {
        OciLayoutStore store = chooseStore();
        var response = ListStatusesResponse.newBuilder();
        for (IngestStatus status : store.listStatuses(Filters.parse(request.getFiltersList()))) {
          response.addStatuses(toProto(status));
        }
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
      } catch (Exception e) {
        responseObserver.onError(toStatus("list statuses", e));
      }
    }

    @Override
    public StreamObserver<WriteContentRequest> write(StreamObserver<WriteContentResponse> responseObserver) {
      OciLayoutStore store;
      try {
        store = chooseStore();
      } catch (StatusRuntimeException e) {
        responseObserver.onError(e);
        return new DiscardingObserver<>();
      }
      return new WriteSession(store, responseObserver);
    }

    @Override
    public void abort(AbortRequest request, StreamObserver<Empty> responseObserver) {
      try {
        OciLayoutStore store = chooseStore();
        store.abort(request.getRef());
        responseObserver.onNext(Empty.getDefaultInstance());
        responseObserver.onCompleted();
      } catch (Exception e) {
        responseObserver.onError(toStatus("abort", e));
      }
    }
  }

  /** Streams a blob range in chunks as fast as the caller takes them, so large layers never sit in memory. */
  private static final class ReadPump {
    private final ServerCallStreamObserver<ReadContentResponse> call;
    private final FileChannel channel;
    private final long end;
    private long position;
    private boolean done;

    ReadPump(ServerCallStreamObserver<ReadContentResponse> call, FileChannel channel, long offset, long end) {
      this.call = call;
      this.channel = channel;
      this.position = offset;
      this.end = end;
    }

    synchronized void run() {
      try {
        while (!done && call.isReady()) {
          if (position >= end) {
            done = true;
            channel.close();
            call.onCompleted();
            return;
          }
          sendChunk();
        }
      } catch (IOException e) {
        done = true;
        closeQuietly();
        call.onError(toStatus("read", e));
      }
    }

    private void sendChunk() throws IOException {
      int length = (int) Math.min(READ_CHUNK_BYTES, end - position);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          throw new IOException("blob ended at " + (position + buffer.position()) + " bytes, before " + end);
        }
      }
      ByteString data = UnsafeByteOperations.unsafeWrap(buffer.array());
      call.onNext(ReadContentResponse.newBuilder().setOffset(position).setData(data).build());
      position += length;
    }

    synchronized void close() {
      done = true;
      closeQuietly();
    }

    private void closeQuietly() {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "closing a blob after a read failed: {0}", e.getMessage());
      }
    }
  }

  /**
   * One Write stream: opens the writer on the first message, then applies each message's action and
   * sends one response for it, as containerd's contentserver does.
   */
  private static final class WriteSession implements StreamObserver<WriteContentRequest> {
    private final OciLayoutStore store;
    private final StreamObserver<WriteContentResponse> responses;
    private BlobWriter writer;
    private String ref;
    private long total;
    private Digest expected;
    private boolean finished;

    WriteSession(OciLayoutStore store, StreamObserver<WriteContentResponse> responses) {
      this.store = store;
      this.responses = responses;
    }

    @Override
    public void onNext(WriteContentRequest request) {
      if (finished) {
        return;
      }
      try {
        handle(request);
      } catch (Exception e) {
        finished = true;
        closeWriter();
        responses.onError(toStatus("write", e));
      }
    }

    private void handle(WriteContentRequest request) throws IOException {
      if (writer == null) {
        open(request);
      }

      var response = WriteContentResponse.newBuilder().setAction(request.getAction());
      IngestStatus status = writer.status();
      response.setOffset(status.offset());

      if (!request.getExpected().isEmpty()) {
        expected = parseDigest(request.getExpected());
        if (store.info(expected).isPresent()) {
          abandon();
          throw StoreException.alreadyExists("blob with expected digest " + expected + " exists");
        }
      }
      if (request.getTotal() > 0) {
        total = request.getTotal();
      }

      switch (request.getAction()) {
        case STAT -> response
            .setDigest(writer.digest().toString())
            .setStartedAt(timestamp(status.startedAt()))
            .setUpdatedAt(timestamp(status.updatedAt()))
            .setTotal(total);
        case WRITE, COMMIT -> writeAndCommit(request, status, response);
        default -> throw StoreException.invalidArgument("unknown write action " + request.getActionValue());
      }

      responses.onNext(response.build());
      if (request.getAction() == WriteAction.COMMIT) {
        finished = true;
        responses.onCompleted();
      }
    }

    private void open(WriteContentRequest first) throws IOException {
      ref = first.getRef();
      if (ref.isEmpty()) {
        throw StoreException.invalidArgument("first message must have a reference");
      }
      total = first.getTotal();
      expected = first.getExpected().isEmpty() ? null : parseDigest(first.getExpected());
      writer = store.writer(ref, total, expected);
    }

    private void writeAndCommit(
        WriteContentRequest request, IngestStatus status, WriteContentResponse.Builder response) throws IOException {
      if (request.getOffset() > 0 && request.getOffset() != status.offset()) {
        throw new StoreException(
            StoreException.Kind.OUT_OF_RANGE,
            "write @" + request.getOffset() + " must occur at current offset " + status.offset());
      }
      // Offset 0 on an ingest that has data restarts it, as the Content API requires.
      if (request.getOffset() == 0 && status.offset() > 0) {
        writer.truncate(0);
        response.setOffset(0);
      }

      if (!request.getData().isEmpty()) {
        writer.write(request.getData().asReadOnlyByteBuffer());
        response.setOffset(response.getOffset() + request.getData().size());
      }

      if (request.getAction() == WriteAction.COMMIT) {
        writer.commit(total, expected);
      }
      response.setDigest(writer.digest().toString());
    }

    /** Drops the ingest because its blob is already in the store. */
    private void abandon() {
      closeWriter();
      try {
        store.abort(ref);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "could not abort write {0}: {1}", ref, e.getMessage());
      }
    }

    @Override
    public void onError(Throwable t) {
      // The caller went away. The ingest stays for a resume with the same ref.
      finished = true;
      closeWriter();
    }

    @Override
    public void onCompleted() {
      closeWriter();
      if (!finished) {
        finished = true;
        responses.onCompleted();
      }
    }

    private void closeWriter() {
      if (writer == null) {
        return;
      }
      try {
        writer.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not close write {0}: {1}", ref, e.getMessage());
      }
    }
  }

  private static final class DiscardingObserver<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  private static Digest parseDigest(String value) throws StoreException {
    try {
      return Digest.parse(value);
    } catch (IllegalArgumentException e) {
      throw StoreException.invalidArgument(e.getMessage());
    }
  }

  /** Maps a failure onto the gRPC code that containerd's errgrpc gives its class, and other I/O errors onto UNKNOWN. */
  static StatusRuntimeException toStatus(String operation, Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof StoreException store) {
      Status code = switch (store.kind()) {
        case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
        case NOT_FOUND -> Status.NOT_FOUND;
        case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
        case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
        case UNAVAILABLE -> Status.UNAVAILABLE;
        case OUT_OF_RANGE -> Status.OUT_OF_RANGE;
      };
      LOG.log(System.Logger.Level.DEBUG, "content {0} failed: {1}", operation, store.getMessage());
      return code.withDescription(store.getMessage()).withCause(store).asRuntimeException();
    }
    LOG.log(System.Logger.Level.WARNING, "content " + operation + " failed", error);
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return Status.UNKNOWN.withDescription(message).withCause(error).asRuntimeException();
  }

  private static Info toProto(BlobInfo info) {
    return Info.newBuilder()
        .setDigest(info.digest().toString())
        .setSize(info.size())
        .setCreatedAt(timestamp(info.createdAt()))
        .setUpdatedAt(timestamp(info.updatedAt()))
        .putAllLabels(info.labels())
        .build();
  }

  private static dev.depotrunner.buildkit.proto.content.Status toProto(IngestStatus status) {
    return dev.depotrunner.buildkit.proto.content.Status.newBuilder()
        .setRef(status.ref())
        .setOffset(status.offset())
        .setTotal(status.total())
        .setStartedAt(timestamp(status.startedAt()))
        .setUpdatedAt(timestamp(status.updatedAt()))
        .build();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }
}
