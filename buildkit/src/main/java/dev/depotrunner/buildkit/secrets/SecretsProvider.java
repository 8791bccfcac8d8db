package dev.depotrunner.buildkit.secrets;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.secrets.GetSecretRequest;
import dev.depotrunner.buildkit.proto.secrets.GetSecretResponse;
import dev.depotrunner.buildkit.proto.secrets.SecretsGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The session's Secrets service ({@code moby.buildkit.secrets.v1.Secrets}): returns the value of a
 * build secret when a {@code RUN --mount=type=secret} step requests it by id.
 *
 * <p>Files are checked when the provider is created and read on each request. An id that no spec
 * names gets NOT_FOUND, which BuildKit treats as a missing secret, so a mount with
 * {@code required=false} is skipped. Secret values are never logged or put into errors.
 */
public final class SecretsProvider extends SecretsGrpc.SecretsImplBase {

  /** Maximum secret size in bytes, BuildKit's limit (secretsprovider.MaxSecretSize). */
  public static final int MAX_SECRET_BYTES = 500 * 1024;

  private static final System.Logger LOG = System.getLogger(SecretsProvider.class.getName());

  private final Map<String, Source> sources;

  private SecretsProvider(Map<String, Source> sources) {
    this.sources = sources;
  }

  /**
   * Creates the service. A later spec replaces an earlier one with the same id, as in buildx.
   *
   * @param environment the variables that {@code env} sources read, and that decide what a spec
   *     with only an id names
   * @throws SecretSourceException if a spec has no id, or its file is missing or too large
   */
  public static SecretsProvider create(List<SecretSpec> specs, Map<String, String> environment)
      throws SecretSourceException {
    Map<String, Source> sources = new LinkedHashMap<>();
    for (SecretSpec spec : specs) {
      sources.put(spec.id(), resolve(spec, environment));
    }
    return new SecretsProvider(Map.copyOf(sources));
  }

  @Override
  public void getSecret(GetSecretRequest request, StreamObserver<GetSecretResponse> responseObserver) {
    String id = request.getID();
    Source source = sources.get(id);
    if (source == null) {
      LOG.log(System.Logger.Level.DEBUG, "secret " + id + " requested but not provided");
      responseObserver.onError(
          Status.NOT_FOUND.withDescription("secret " + id + " not found").asRuntimeException());
      return;
    }

    byte[] value;
    try {
      value = source.read();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "failed to read secret " + id + ": " + e.getMessage());
      responseObserver.onError(
          Status.FAILED_PRECONDITION
              .withDescription("failed to read secret " + id + ": " + e.getMessage())
              .withCause(e)
              .asRuntimeException());
      return;
    }

    LOG.log(System.Logger.Level.DEBUG, "serving secret " + id + " (" + value.length + " bytes)");
    responseObserver.onNext(GetSecretResponse.newBuilder().setData(ByteString.copyFrom(value)).build());
    responseObserver.onCompleted();
  }

  private static Source resolve(SecretSpec spec, Map<String, String> environment)
      throws SecretSourceException {
    if (spec.id().isEmpty()) {
      throw new SecretSourceException(
          "secret \"" + spec + "\" has no id; add id=NAME so RUN --mount=type=secret can use it");
    }

    String env = spec.env();
    String filePath = spec.filePath();
    if (env.isEmpty() && filePath.isEmpty()) {
      if (environment.containsKey(spec.id())) {
        env = spec.id();
      } else {
        filePath = spec.id();
      }
    }

    if (!env.isEmpty()) {
      return new EnvSource(env, environment.getOrDefault(env, ""));
    }
    Path file = Path.of(filePath);
    checkFile(spec.id(), file);
    return new FileSource(file);
  }

  private static void checkFile(String id, Path file) throws SecretSourceException {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new SecretSourceException(
          "secret " + id + ": file " + file + " not found; set src= to an existing file or env= to a variable",
          e);
    } catch (IOException e) {
      throw new SecretSourceException("secret " + id + ": failed to stat " + file + ": " + e, e);
    }
    if (size > MAX_SECRET_BYTES) {
      throw new SecretSourceException(
          String.format(
              "secret %s: file %s is %d bytes, larger than the maximum of %d KiB",
              id, file, size, MAX_SECRET_BYTES / 1024));
    }
  }

  /** The source of a secret's value. */
  private interface Source {
    byte[] read() throws IOException;
  }

  /** A variable's value when the provider was created. An unset variable reads as empty, as in buildx. */
  private record EnvSource(String variable, String value) implements Source {
    @Override
    public byte[] read() {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "EnvSource[" + variable + "]";
    }
  }

  /** A file read at request time, so that changes made during the build are served. */
  private record FileSource(Path file) implements Source {
    @Override
    public byte[] read() throws IOException {
      byte[] data;
      try (InputStream input = Files.newInputStream(file)) {
        data = input.readNBytes(MAX_SECRET_BYTES + 1);
      } catch (NoSuchFileException e) {
        throw new IOException("file " + file + " not found", e);
      } catch (IOException e) {
        throw new IOException("file " + file + " cannot be read: " + e.getClass().getSimpleName(), e);
      }

      if (data.length > MAX_SECRET_BYTES) {
        throw new IOException(
            "file " + file + " is larger than the maximum of " + (MAX_SECRET_BYTES / 1024) + " KiB");
      }
      return data;
    }
  }
}
