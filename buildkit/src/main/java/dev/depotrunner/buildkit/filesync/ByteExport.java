package dev.depotrunner.buildkit.filesync;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.depotrunner.buildkit.proto.filesync.BytesMessage;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * A tar-like export ({@code type=tar}, or {@code type=oci} and {@code type=docker} with a
 * destination) arriving as a stream of BytesMessage chunks, which the builder ends by half-closing.
 */
final class ByteExport implements StreamObserver<byte[]> {

  private static final System.Logger LOG = System.getLogger(ByteExport.class.getName());

  private final ServerCallStreamObserver<byte[]> observer;
  private final OutputStream output;
  private final String description;
  private final Path temporary;
  private final Path file;
  private boolean ended;

  private ByteExport(ServerCallStreamObserver<byte[]> observer, OutputStream output, String description, Path temporary, Path file) {
    this.observer = observer;
    this.output = output;
    this.description = description;
    this.temporary = temporary;
    this.file = file;
    observer.setOnCancelHandler(() -> abort("the builder cancelled the export"));
  }

  /** Writes to a temporary file beside {@code file} that replaces it when the builder completes the export. */
  static StreamObserver<byte[]> toFile(ServerCallStreamObserver<byte[]> observer, Path file, int exporterIndex) {
    String description = "export " + exporterIndex + " to " + file;
    Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    OutputStream output;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      output = Files.newOutputStream(temporary);
    } catch (IOException e) {
      observer.onError(Status.UNKNOWN
          .withDescription("failed to create " + file + " for " + description + ": " + e.getMessage())
          .asRuntimeException());
      return discarding();
    }
    return new ByteExport(observer, output, description, temporary, file);
  }

  /** Writes to a stream the caller owns and closes. */
  static StreamObserver<byte[]> toStream(ServerCallStreamObserver<byte[]> observer, OutputStream output, int exporterIndex) {
    return new ByteExport(observer, output, "export " + exporterIndex + " to a stream", null, null);
  }

  /** Ignores what the peer sends on a call that has already failed. */
  static <T> StreamObserver<T> discarding() {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  @Override
  public synchronized void onNext(byte[] message) {
    if (ended) {
      return;
    }
    try {
      BytesMessage.parseFrom(message).getData().writeTo(output);
    } catch (InvalidProtocolBufferException e) {
      fail("invalid message from the builder: " + e.getMessage());
    } catch (IOException e) {
      fail("failed to write " + description + ": " + e.getMessage());
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    abort("the builder broke off: " + t.getMessage());
  }

  @Override
  public synchronized void onCompleted() {
    if (ended) {
      return;
    }
    try {
      if (temporary != null) {
        output.close();
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        output.flush();
      }
    } catch (IOException e) {
      fail("failed to write " + description + ": " + e.getMessage());
      return;
    }
    ended = true;
    observer.onCompleted();
  }

  private void fail(String message) {
    abort(message);
    observer.onError(Status.UNKNOWN.withDescription(message).asRuntimeException());
  }

  /** Stops writing and removes the temporary file, so a failed export leaves nothing behind. */
  private synchronized void abort(String reason) {
    if (ended) {
      return;
    }
    ended = true;
    LOG.log(Level.DEBUG, "{0} failed: {1}", description, reason);
    if (temporary == null) {
      return;
    }
    try {
      output.close();
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "failed to remove {0}: {1}", temporary, e.getMessage());
    }
  }
}
