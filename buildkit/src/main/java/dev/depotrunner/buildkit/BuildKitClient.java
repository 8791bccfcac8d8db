package dev.depotrunner.buildkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.SolveStatuses;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.proto.control.ControlGrpc;
import dev.depotrunner.buildkit.proto.control.ListWorkersRequest;
import dev.depotrunner.buildkit.proto.control.SolveRequest;
import dev.depotrunner.buildkit.proto.control.SolveResponse;
import dev.depotrunner.buildkit.proto.control.StatusRequest;
import dev.depotrunner.buildkit.proto.control.StatusResponse;
import dev.depotrunner.buildkit.proto.errdefs.FrontendCap;
import dev.depotrunner.buildkit.proto.errdefs.Source;
import dev.depotrunner.buildkit.proto.errdefs.Vertex;
import dev.depotrunner.buildkit.proto.types.WorkerRecord;
import dev.depotrunner.buildkit.session.Session;
import dev.depotrunner.buildkit.transport.AttachedSession;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client for one BuildKit builder's Control API: Solve with its Status stream and Session, and the
 * builder's workers.
 *
 * <p>The caller owns the {@link BuilderConnection} and closes it; this class only calls through it.
 */
public final class BuildKitClient {

  /** How long the Status stream may stay silent after the Solve ended before it is cut off. */
  private static final long STATUS_DRAIN_SECONDS = 5;


  private final BuilderConnection connection;
  private final ControlGrpc.ControlStub control;
  private final ControlGrpc.ControlBlockingStub blockingControl;

  public BuildKitClient(BuilderConnection connection) {
    this.connection = connection;
    this.control = ControlGrpc.newStub(connection.channel());
    this.blockingControl = ControlGrpc.newBlockingStub(connection.channel());
  }

  public String builderDescription() {
    return connection.description();
  }

  /** Returns the builder's workers with their platforms. */
  public List<WorkerRecord> workers() throws BuildKitException {
    try {
      return blockingControl
          .withDeadlineAfter(30, TimeUnit.SECONDS)
          .listWorkers(ListWorkersRequest.getDefaultInstance())
          .getRecordList();
    } catch (StatusRuntimeException e) {
      throw connectionFailure("list the builder's workers", e);
    }
  }

  /**
   * Starts a Solve: attaches the session, follows the Status stream into {@code progress}, and sends the
   * request with the session's id and a fresh ref. {@link SolveHandle#await()} waits for the result.
   */
  public SolveHandle startSolve(SolveRequest request, Session session, Consumer<SolveStatus> progress)
      throws BuildKitException {
    String ref = request.getRef().isEmpty() ? Session.newId() : request.getRef();
    AttachedSession attached = attach(session);

    var solveContext = Context.current().withCancellation();
    var statusContext = Context.ROOT.withCancellation();
    var handle = new SolveHandle(solveContext, statusContext, attached);

    statusContext.run(() -> control.status(StatusRequest.newBuilder().setRef(ref).build(), handle.statusObserver(progress)));

    SolveRequest withIdentity = request.toBuilder().setRef(ref).setSession(session.id()).build();
    solveContext.run(() -> control.solve(withIdentity, handle.solveObserver()));
    return handle;
  }

  private AttachedSession attach(Session session) throws BuildKitException {
    try {
      return connection.attach(session);
    } catch (IOException e) {
      throw new BuildKitException(
          "failed to open a session with the builder at " + connection.description() + ": " + e.getMessage(), e);
    }
  }

  private BuildKitException connectionFailure(String operation, StatusRuntimeException e) {
    return new BuildKitException(
        "failed to " + operation + " at " + connection.description() + ": " + describe(e.getStatus()), e);
  }

  /** A Solve under way. */
  public final class SolveHandle {

    private final Context.CancellableContext solveContext;
    private final Context.CancellableContext statusContext;
    private final AttachedSession attached;
    private final CompletableFuture<SolveResponse> response = new CompletableFuture<>();
    private final CompletableFuture<Void> statusDone = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile long lastStatusNanos = System.nanoTime();

    private SolveHandle(
        Context.CancellableContext solveContext, Context.CancellableContext statusContext, AttachedSession attached) {
      this.solveContext = solveContext;
      this.statusContext = statusContext;
      this.attached = attached;
    }

    /** Asks the builder to stop; {@link #await()} then throws {@link SolveCancelledException}. */
    public void cancel() {
      cancelled = true;
      solveContext.cancel(null);
    }

    /**
     * Waits for the Solve, then for the rest of its progress, and closes the session.
     *
     * @return the exporter response, such as {@code containerimage.digest}
     */
    public Map<String, String> await() throws BuildKitException, InterruptedException {
      try {
        return awaitResponse().getExporterResponseMap();
      } finally {
        drainStatus();
        attached.close();
        solveContext.cancel(null);
      }
    }

    private SolveResponse awaitResponse() throws BuildKitException, InterruptedException {
      try {
        return response.get();
      } catch (ExecutionException e) {
        throw solveFailure(e.getCause());
      } catch (InterruptedException e) {
        cancel();
        throw e;
      }
    }

    private void drainStatus() throws InterruptedException {
      while (!statusDone.isDone()) {
        try {
          statusDone.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          return;
        } catch (TimeoutException e) {
          long silentNanos = System.nanoTime() - lastStatusNanos;
          if (silentNanos > TimeUnit.SECONDS.toNanos(STATUS_DRAIN_SECONDS)) {
            statusContext.cancel(null);
            return;
          }
        }
      }
    }

    private BuildKitException solveFailure(Throwable cause) {
      if (!(cause instanceof StatusRuntimeException grpcError)) {
        return new BuildKitException("failed to solve: " + cause.getMessage(), cause);
      }
      if (cancelled) {
        return new SolveCancelledException(grpcError);
      }
      return toSolveException(grpcError, connection.description());
    }

    private StreamObserver<SolveResponse> solveObserver() {
      return new StreamObserver<>() {
        @Override
        public void onNext(SolveResponse value) {
          response.complete(value);
        }

        @Override
        public void onError(Throwable t) {
          response.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
          response.complete(SolveResponse.getDefaultInstance());
        }
      };
    }

    private StreamObserver<StatusResponse> statusObserver(Consumer<SolveStatus> progress) {
      return new StreamObserver<>() {
        @Override
        public void onNext(StatusResponse value) {
          lastStatusNanos = System.nanoTime();
          progress.accept(SolveStatuses.fromProto(value));
        }

        @Override
        public void onError(Throwable t) {
          statusDone.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
          statusDone.complete(null);
        }
      };
    }
  }

  /** The JSON mapper for error details, initialized only when a Solve fails, because creating it is slow. */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }

  /** Turns a failed Solve's gRPC status, with BuildKit's typed details, into an exception. */
  static BuildKitException toSolveException(StatusRuntimeException error, String builder) {
    Status status = error.getStatus();
    String message = describe(status);
    String vertex = "";
    List<SourceLocation> sources = new ArrayList<>();
    String missingCapability = "";

    com.google.rpc.Status details = StatusProto.fromThrowable(error);
    if (details != null) {
      for (Any detail : details.getDetailsList()) {
        String type = typeName(detail.getTypeUrl());
        try {
          if (type.endsWith("+json")) {
            // BuildKit marks details it encoded with Go's encoding/json (through containerd's typeurl).
            JsonNode json = Mapper.JSON.readTree(detail.getValue().toByteArray());
            switch (type) {
              case "errdefs.Source+json" -> sources.add(sourceLocation(json));
              case "errdefs.Vertex+json" -> vertex = json.path("digest").asText();
              case "errdefs.FrontendCap+json" -> missingCapability = json.path("name").asText();
              default -> {
                // Stack traces and exit messages are for BuildKit's own debugging.
              }
            }
          } else {
            switch (type) {
              case "errdefs.Source" -> {
                Source source = detail.unpack(Source.class);
                sources.add(SolveStatuses.toSourceLocation(source.getInfo(), source.getRangesList()));
              }
              case "errdefs.Vertex" -> vertex = detail.unpack(Vertex.class).getDigest();
              case "errdefs.FrontendCap" -> missingCapability = detail.unpack(FrontendCap.class).getName();
              default -> {
                // As above.
              }
            }
          }
        } catch (IOException e) {
          // A detail that does not parse only loses context, so the message is kept.
        }
      }
    }

    if (!missingCapability.isEmpty()) {
      return new UnsupportedFeatureException(
          "the builder at " + builder + " lacks the frontend capability " + missingCapability
              + "; update the builder's BuildKit: " + message,
          error);
    }
    if (status.getCode() == Status.Code.UNIMPLEMENTED) {
      return new UnsupportedFeatureException(
          "the builder at " + builder + " does not support this request; update its BuildKit: " + message, error);
    }
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      return new BuildKitException("lost the connection to the builder at " + builder + ": " + message, error);
    }
    return new SolveFailedException(message, vertex, sources, error);
  }

  private static SourceLocation sourceLocation(JsonNode source) {
    List<SourceLocation.LineRange> ranges = new ArrayList<>();
    for (JsonNode range : source.path("ranges")) {
      ranges.add(new SourceLocation.LineRange(range.path("start").path("line").asInt(), range.path("end").path("line").asInt()));
    }
    JsonNode info = source.path("info");
    byte[] data = info.hasNonNull("data") ? Base64.getDecoder().decode(info.get("data").asText()) : new byte[0];
    return new SourceLocation(info.path("filename").asText(), data, ranges);
  }

  /** Returns the message name of a type URL: {@code errdefs.Source} of {@code github.com/moby/buildkit/errdefs.Source}. */
  private static String typeName(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
  }

  private static String describe(Status status) {
    String description = status.getDescription();
    if (description == null || description.isBlank()) {
      return status.getCode().name().toLowerCase().replace('_', ' ');
    }
    return description;
  }
}
