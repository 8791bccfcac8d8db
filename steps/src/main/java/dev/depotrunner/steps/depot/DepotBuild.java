package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnectionException;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionResponse;
import dev.depotrunner.steps.build.BuildStepException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One build on Depot, from CreateBuild to FinishBuild. It hands out a connected BuildKit builder per
 * platform, reports each builder's health while the build runs, and finishes the build exactly once.
 * {@link #close()} finishes an unfinished build as an error, so no path leaves a builder held.
 *
 * <p>{@link #cancel()} may be called from any thread; it ends waits for builders and marks the build as
 * cancelled, which the caller's Solves learn through their own cancellation.
 */
public final class DepotBuild implements AutoCloseable {

  private final BuildService api;
  private final CreateBuildResponse created;
  private final String projectId;
  private final ApiToken buildToken;
  private final Duration healthInterval;
  private final Consumer<String> warnings;
  private final Runnable cancelRequested;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicBoolean finished = new AtomicBoolean();
  private final List<HealthReporter> health = new ArrayList<>();
  private final List<BuilderConnection> connections = new ArrayList<>();

  private DepotBuild(
      BuildService api, CreateBuildResponse created, String requestedProject, Duration healthInterval,
      Consumer<String> warnings, Runnable cancelRequested) {
    this.api = api;
    this.created = created;
    this.projectId = created.getProjectId().isEmpty() ? requestedProject : created.getProjectId();
    this.buildToken = ApiToken.of(created.getBuildToken());
    this.healthInterval = healthInterval;
    this.warnings = warnings;
    this.cancelRequested = cancelRequested;
  }

  /**
   * Creates a build with CreateBuild.
   *
   * @param token the user's token; every later call carries the build token that Depot returns
   * @param warnings receives one line per problem that does not fail the build, such as a failed FinishBuild
   * @param cancelRequested runs when a ReportBuildHealth response requests cancellation
   * @throws BuildStepException if Depot rejects the request; its message is one line
   */
  public static DepotBuild create(
      BuildService api, CreateBuildRequest request, ApiToken token, Duration healthInterval,
      Consumer<String> warnings, Runnable cancelRequested) throws BuildStepException, InterruptedException {
    Objects.requireNonNull(api, "api");
    CreateBuildResponse created;
    try {
      created = api.createBuild(request, token);
    } catch (DepotApiException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
    return new DepotBuild(api, created, request.getProjectId(), healthInterval, warnings, cancelRequested);
  }

  public String id() {
    return created.getBuildId();
  }

  public String url() {
    return created.getBuildUrl();
  }

  /** Returns the project the build runs in, which Depot may choose differently from the request. */
  public String projectId() {
    return projectId;
  }

  /** Returns CreateBuild's response, for what it adds to the build (tags and registry credentials). */
  public CreateBuildResponse response() {
    return created;
  }

  /** Ends every wait for a builder, so that FinishBuild then reports the build as cancelled. */
  public void cancel() {
    cancelled.countDown();
  }

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /**
   * Waits for the builder of {@code platform}, connects with the mutual TLS certificates Depot returns,
   * and reports its health until the build finishes. The build owns the connection.
   *
   * @throws BuildStepException if Depot fails to provide a builder, the build was cancelled while waiting,
   *     or the connection fails
   */
  public BuilderConnection connect(BuilderPlatform platform) throws BuildStepException, InterruptedException {
    synchronized (health) {
      health.add(HealthReporter.start(api, id(), buildToken, platform, healthInterval, this::requestCancel));
    }

    GetBuildKitConnectionResponse.ActiveConnection active;
    try {
      active = BuilderLease.awaitBuilder(api, id(), buildToken, platform,
          wait -> !cancelled.await(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (DepotApiException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
    if (active == null) {
      throw BuildStepException.reported("build cancelled while waiting for a Depot builder", null);
    }

    BuilderEndpoint endpoint;
    try {
      endpoint = BuilderLease.endpoint(active);
    } catch (IllegalArgumentException e) {
      throw BuildStepException.of("Depot returned an unusable builder for build " + id() + ": " + e.getMessage(), e);
    }

    try {
      BuilderConnection connection = BuilderLease.connect(endpoint);
      synchronized (connections) {
        connections.add(connection);
      }
      return connection;
    } catch (BuilderConnectionException e) {
      throw BuildStepException.of("failed to connect to the Depot builder of build " + id() + ": " + e.getMessage(), e);
    }
  }

  private void requestCancel() {
    cancel();
    cancelRequested.run();
  }

  public void succeeded() {
    finish(FinishBuildRequest.newBuilder().setSuccess(FinishBuildRequest.BuildSuccess.getDefaultInstance()));
  }

  /** Finishes the build as failed with {@code message}, or as cancelled if {@link #cancel()} was called. */
  public void failed(String message) {
    if (isCancelled()) {
      canceled();
      return;
    }
    finish(FinishBuildRequest.newBuilder()
        .setError(FinishBuildRequest.BuildError.newBuilder().setError(String.valueOf(message))));
  }

  public void canceled() {
    finish(FinishBuildRequest.newBuilder().setCanceled(FinishBuildRequest.BuildCanceled.getDefaultInstance()));
  }

  /**
   * Closes the builder connections, then sends FinishBuild once, also when the thread was interrupted by a signal, because an unfinished build
   * keeps its builders until Depot times it out. The interrupt is restored afterwards.
   */
  private void finish(FinishBuildRequest.Builder result) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    stopHealth();
    closeConnections();

    boolean interrupted = Thread.interrupted();
    try {
      api.finishBuild(result.setBuildId(id()).build(), buildToken);
    } catch (DepotApiException e) {
      warnings.accept("failed to finish Depot build " + id() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void stopHealth() {
    synchronized (health) {
      health.forEach(HealthReporter::close);
      health.clear();
    }
  }

  private void closeConnections() {
    synchronized (connections) {
      connections.forEach(BuilderConnection::close);
      connections.clear();
    }
  }

  /** Finishes the build as an error if nothing finished it, which also closes its builder connections. */
  @Override
  public void close() {
    failed("the client stopped before the build finished");
  }
}
