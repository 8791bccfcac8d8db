package dev.depotrunner.buildkit.filesync;

import dev.depotrunner.buildkit.proto.filesync.FileSendGrpc;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The session's FileSend service: receives the results of exporters that write to the client.
 *
 * <p>BuildKit calls {@code /moby.filesync.v1.FileSend/DiffCopy} once per export and names the export
 * in the {@code buildkit-attachable-exporter-id} header: the exporter's index in the Solve request's
 * list of exporters ({@code 0} when the header is missing). A {@code type=local} export streams fsutil
 * packets and needs a {@link #localDirectory} target; {@code type=tar}, and {@code type=oci} or
 * {@code type=docker} with a destination, stream raw bytes and need a {@link #file} or {@link #stream}
 * target.
 *
 * <pre>{@code
 * FileSendTargets targets = FileSendTargets.builder()
 *     .localDirectory(0, Path.of("out"))
 *     .file(1, Path.of("image.tar"))
 *     .build();
 * Session session = Session.builder("build").service(targets).build();
 * }</pre>
 */
public final class FileSendTargets implements BindableService {

  static final Metadata.Key<String> EXPORTER_ID =
      Metadata.Key.of("buildkit-attachable-exporter-id", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * The wire carries either fsutil Packets or BytesMessages on this method, so messages are parsed
   * only once the target is known.
   */
  static final MethodDescriptor<byte[], byte[]> DIFF_COPY = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
      .setFullMethodName(FileSendGrpc.getDiffCopyMethod().getFullMethodName())
      .setRequestMarshaller(RawMarshaller.INSTANCE)
      .setResponseMarshaller(RawMarshaller.INSTANCE)
      .build();

  private final Map<Integer, Target> targets;

  private FileSendTargets(Map<Integer, Target> targets) {
    this.targets = Map.copyOf(targets);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects targets by exporter index. */
  public static final class Builder {
    private final Map<Integer, Target> targets = new HashMap<>();

    private Builder() {}

    /** Writes a {@code type=local} export into {@code directory}, creating it and merging with its content. */
    public Builder localDirectory(int exporterIndex, Path directory) {
      return add(exporterIndex, new Target.Directory(directory.toAbsolutePath()));
    }

    /**
     * Writes a tar-like export to {@code file}. The data goes to a temporary file beside it that
     * replaces {@code file} only when the export completes.
     */
    public Builder file(int exporterIndex, Path file) {
      return add(exporterIndex, new Target.File(file.toAbsolutePath()));
    }

    /** Writes a tar-like export to {@code output}, such as standard output; the caller closes it. */
    public Builder stream(int exporterIndex, OutputStream output) {
      return add(exporterIndex, new Target.Stream(Objects.requireNonNull(output, "output")));
    }

    private Builder add(int exporterIndex, Target target) {
      if (exporterIndex < 0) {
        throw new IllegalArgumentException("exporter index must not be negative: " + exporterIndex);
      }
      if (targets.putIfAbsent(exporterIndex, target) != null) {
        throw new IllegalArgumentException("exporter " + exporterIndex + " already has a target");
      }
      return this;
    }

    public FileSendTargets build() {
      return new FileSendTargets(targets);
    }
  }

  sealed interface Target {
    record Directory(Path path) implements Target {}

    record File(Path path) implements Target {}

    record Stream(OutputStream output) implements Target {}
  }

  @Override
  public ServerServiceDefinition bindService() {
    ServerServiceDefinition definition = ServerServiceDefinition.builder(FileSendGrpc.SERVICE_NAME)
        .addMethod(DIFF_COPY, ServerCalls.asyncBidiStreamingCall(this::diffCopy))
        .build();
    return ServerInterceptors.intercept(definition, new CallHeaders());
  }

  private StreamObserver<byte[]> diffCopy(StreamObserver<byte[]> responseObserver) {
    ServerCallStreamObserver<byte[]> observer = (ServerCallStreamObserver<byte[]>) responseObserver;
    int index = exporterIndex(CallHeaders.current());
    Target target = targets.get(index);
    if (target == null) {
      observer.onError(Status.NOT_FOUND
          .withDescription("exporter " + index + " not found: the session has no output for it")
          .asRuntimeException());
      return ByteExport.discarding();
    }

    if (target instanceof Target.Directory directory) {
      return DirectoryExport.start(observer, directory.path(), index);
    }
    if (target instanceof Target.File file) {
      return ByteExport.toFile(observer, file.path(), index);
    }
    return ByteExport.toStream(observer, ((Target.Stream) target).output(), index);
  }

  /** Returns the exporter index from the call's headers, 0 if absent or not a number, as BuildKit does. */
  static int exporterIndex(Metadata headers) {
    String value = headers.get(EXPORTER_ID);
    if (value == null) {
      return 0;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Passes messages through as bytes. */
  enum RawMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("failed to read message").withCause(e).asRuntimeException();
      }
    }
  }
}
