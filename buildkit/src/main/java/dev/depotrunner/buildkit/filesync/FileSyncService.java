package dev.depotrunner.buildkit.filesync;

import dev.depotrunner.buildkit.proto.filesync.FileSyncGrpc;
import dev.depotrunner.buildkit.proto.fsutil.Packet;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session's FileSync service: lets the builder read the client's named folders, such as
 * {@code context} and {@code dockerfile}, with the include, exclude and follow paths it sends.
 *
 * <p>Each {@code DiffCopy} call runs fsutil's sending protocol on its own threads (one walker and
 * {@value DiffCopySender#READERS} readers), respects gRPC flow control, and keeps one path per
 * requestable file in memory, never file contents. Extended attributes are not sent.
 *
 * <pre>{@code
 * Session session = Session.builder("context")
 *     .service(FileSyncService.of(Map.of("context", contextDir, "dockerfile", dockerfileDir)))
 *     .build();
 * }</pre>
 */
public final class FileSyncService implements FileSyncGrpc.AsyncService, BindableService {

  private static final System.Logger LOG = System.getLogger(FileSyncService.class.getName());

  private static final int ON_READY_THRESHOLD_BYTES = 1024 * 1024;

  private final Map<String, Path> folders;

  private FileSyncService(Map<String, Path> folders) {
    this.folders = folders;
  }

  /**
   * Serves the given folders by the names the builder requests ({@code context}, {@code dockerfile},
   * or a named build context). The folders are read when the builder requests them, not now.
   */
  public static FileSyncService of(Map<String, Path> folders) {
    Map<String, Path> copy = new LinkedHashMap<>();
    folders.forEach((name, folder) -> copy.put(name, folder.toAbsolutePath()));
    return new FileSyncService(Map.copyOf(copy));
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(FileSyncGrpc.bindService(this), new CallHeaders());
  }

  @Override
  public StreamObserver<Packet> diffCopy(StreamObserver<Packet> responseObserver) {
    ServerCallStreamObserver<Packet> observer = (ServerCallStreamObserver<Packet>) responseObserver;
    PacketChannel<Packet> channel = new PacketChannel<>(observer, packet -> packet);
    observer.setOnReadyHandler(channel::onReady);
    // Let up to 1 MiB queue in the transport (gRPC's default is 32 KiB) so that the walker and the
    // readers rarely wait for each other's messages to drain; memory stays bounded by this.
    observer.setOnReadyThreshold(ON_READY_THRESHOLD_BYTES);

    SyncRequest request = SyncRequest.fromHeaders(CallHeaders.current());
    DiffCopySender sender;
    try {
      sender = prepare(request, channel);
    } catch (StatusException e) {
      LOG.log(Level.DEBUG, "file sync of {0} rejected: {1}", request.dirName(), e.status.getDescription());
      observer.setOnCancelHandler(() -> {});
      channel.fail(e.status);
      return new DiscardingObserver();
    }

    observer.setOnCancelHandler(sender::cancel);
    sender.start();
    return new StreamObserver<>() {
      @Override
      public void onNext(Packet packet) {
        sender.onPacket(packet);
      }

      @Override
      public void onError(Throwable t) {
        sender.cancel();
      }

      @Override
      public void onCompleted() {
        sender.onReceiverClosed();
      }
    };
  }

  @Override
  public StreamObserver<Packet> tarStream(StreamObserver<Packet> responseObserver) {
    // BuildKit negotiates only "diffcopy" since v0.7; TarStream exists in the proto for old builders.
    responseObserver.onError(Status.UNIMPLEMENTED
        .withDescription("FileSync.TarStream is not supported; use a builder that calls DiffCopy")
        .asRuntimeException());
    return new DiscardingObserver();
  }

  private DiffCopySender prepare(SyncRequest request, PacketChannel<Packet> channel) throws StatusException {
    Path folder = folders.get(request.dirName());
    if (folder == null) {
      throw new StatusException(Status.NOT_FOUND.withDescription("no access allowed to dir \"" + request.dirName() + "\""));
    }

    Path root;
    try {
      root = folder.toRealPath();
    } catch (IOException e) {
      throw new StatusException(Status.NOT_FOUND
          .withDescription("folder " + folder + " for \"" + request.dirName() + "\" cannot be read: " + e.getMessage()));
    }
    if (!Files.isDirectory(root)) {
      throw new StatusException(Status.FAILED_PRECONDITION
          .withDescription(folder + " for \"" + request.dirName() + "\" is not a directory"));
    }

    PathFilter filter;
    try {
      filter = PathFilter.create(root, request.includePatterns(), request.excludePatterns(), request.followPaths());
    } catch (InvalidPatternException e) {
      throw new StatusException(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
    } catch (IOException e) {
      throw new StatusException(Status.UNKNOWN
          .withDescription("failed to resolve followpaths in " + folder + ": " + e.getMessage()));
    }
    return new DiffCopySender(root, filter, channel, request.dirName());
  }

  private static final class StatusException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Status status;

    StatusException(Status status) {
      super(status.getDescription(), null, false, false);
      this.status = status;
    }
  }

  /** Ignores what the peer sends on a call that has already failed. */
  private static final class DiscardingObserver implements StreamObserver<Packet> {
    @Override
    public void onNext(Packet value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
