package dev.depotrunner.buildkit.filesync;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.upload.BytesMessage;
import dev.depotrunner.buildkit.proto.upload.UploadGrpc;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session's Upload service: serves streams that BuildKit fetches as {@code http://buildkit-session/ID}
 * URLs, such as a build context tar read from stdin. Each stream is served once, because stdin cannot be
 * read twice; the builder names the ID in the {@code urlpath} header of its {@code Pull} call.
 *
 * <pre>{@code
 * UploadProvider uploads = new UploadProvider();
 * uploads.add("c1f0", System.in);   // the frontend's "context" attribute: UploadProvider.url("c1f0")
 * Session session = Session.builder("build").service(uploads).build();
 * }</pre>
 */
public final class UploadProvider implements BindableService {

  /** The URL prefix BuildKit's HTTP source sends to the session instead of the network. */
  static final String URL_PREFIX = "http://buildkit-session/";

  /** Largest message sent, the same as BuildKit's own upload provider. */
  static final int MAX_CHUNK_BYTES = 3 * 1024 * 1024;

  private static final System.Logger LOG = System.getLogger(UploadProvider.class.getName());
  private static final Metadata.Key<String> URL_PATH = Metadata.Key.of("urlpath", Metadata.ASCII_STRING_MARSHALLER);

  private final Map<String, InputStream> streams = new ConcurrentHashMap<>();

  /** Returns the URL under which the builder fetches the stream registered as {@code id}. */
  public static String url(String id) {
    return URL_PREFIX + id;
  }

  /**
   * Registers a stream under an id of letters and digits; the provider closes it after sending it.
   *
   * @throws IllegalArgumentException if the id is empty, contains other characters or is taken
   */
  public UploadProvider add(String id, InputStream stream) {
    if (!id.matches("[A-Za-z0-9]+")) {
      throw new IllegalArgumentException("invalid upload id \"" + id + "\": use letters and digits only");
    }
    if (streams.putIfAbsent(id, Objects.requireNonNull(stream, "stream")) != null) {
      throw new IllegalArgumentException("upload id \"" + id + "\" is already registered");
    }
    return this;
  }

  @Override
  public ServerServiceDefinition bindService() {
    var service = new UploadGrpc.UploadImplBase() {
      @Override
      public StreamObserver<BytesMessage> pull(StreamObserver<BytesMessage> responseObserver) {
        return UploadProvider.this.pull((ServerCallStreamObserver<BytesMessage>) responseObserver);
      }
    };
    return ServerInterceptors.intercept(service, new CallHeaders());
  }

  private StreamObserver<BytesMessage> pull(ServerCallStreamObserver<BytesMessage> observer) {
    String path = Objects.requireNonNullElse(CallHeaders.current().get(URL_PATH), "");
    String id = path.substring(path.lastIndexOf('/') + 1);
    InputStream stream = streams.remove(id);
    if (stream == null) {
      observer.onError(Status.NOT_FOUND
          .withDescription("no upload " + path + " in this session; an upload is served only once")
          .asRuntimeException());
      return ByteExport.discarding();
    }

    var sender = new Sender(observer, stream, id);
    observer.setOnReadyHandler(sender::onReady);
    observer.setOnCancelHandler(sender::onCancel);
    Thread thread = new Thread(sender, "upload-" + id);
    thread.setDaemon(true);
    thread.start();
    return ByteExport.discarding();
  }

  /**
   * Reads the stream on its own thread, because stdin blocks, and sends it in chunks no faster than
   * the builder reads them.
   */
  private static final class Sender implements Runnable {
    private final ServerCallStreamObserver<BytesMessage> observer;
    private final InputStream stream;
    private final String id;
    private boolean cancelled;

    Sender(ServerCallStreamObserver<BytesMessage> observer, InputStream stream, String id) {
      this.observer = observer;
      this.stream = stream;
      this.id = id;
    }

    synchronized void onReady() {
      notifyAll();
    }

    synchronized void onCancel() {
      cancelled = true;
      notifyAll();
    }

    @Override
    public void run() {
      try (stream) {
        byte[] buffer = new byte[MAX_CHUNK_BYTES];
        int count;
        while ((count = stream.readNBytes(buffer, 0, buffer.length)) > 0) {
          if (!awaitReady()) {
            return;
          }
          observer.onNext(BytesMessage.newBuilder().setData(ByteString.copyFrom(buffer, 0, count)).build());
        }
        if (awaitReady()) {
          observer.onCompleted();
        }
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "reading upload {0} failed: {1}", id, e.getMessage());
        observer.onError(Status.UNAVAILABLE.withDescription("reading the upload failed: " + e.getMessage()).asRuntimeException());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        observer.onError(Status.CANCELLED.withDescription("the upload was interrupted").asRuntimeException());
      }
    }

    /** Waits until the call can take a message; returns false when the builder cancelled it. */
    private synchronized boolean awaitReady() throws InterruptedException {
      while (!cancelled && !observer.isReady()) {
        wait(1000);
      }
      return !cancelled;
    }
  }
}
