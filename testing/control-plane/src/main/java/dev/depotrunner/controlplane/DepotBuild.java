package dev.depotrunner.controlplane;

import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One build the control plane created: its ids, the request that created it, and what the client
 * reported since. Thread-safe.
 */
public final class DepotBuild {

  private final String id;
  private final String token;
  private final String projectId;
  private final String url;
  private final CreateBuildRequest request;
  private final AtomicInteger connectionPolls = new AtomicInteger();
  private final AtomicInteger healthReports = new AtomicInteger();
  private final CompletableFuture<FinishBuildRequest> finish = new CompletableFuture<>();

  DepotBuild(String id, String token, String projectId, String url, CreateBuildRequest request) {
    this.id = id;
    this.token = token;
    this.projectId = projectId;
    this.url = url;
    this.request = request;
  }

  public String id() {
    return id;
  }

  /** The build token CreateBuild returned; the calls about this build must carry it. */
  public String token() {
    return token;
  }

  public String projectId() {
    return projectId;
  }

  public String url() {
    return url;
  }

  public CreateBuildRequest request() {
    return request;
  }

  /** How many times GetBuildKitConnection was called for this build. */
  public int connectionPolls() {
    return connectionPolls.get();
  }

  /** How many times ReportBuildHealth was called for this build. */
  public int healthReports() {
    return healthReports.get();
  }

  /** The FinishBuild request, once the client sent it. */
  public Optional<FinishBuildRequest> result() {
    return Optional.ofNullable(finish.getNow(null));
  }

  /**
   * Waits for FinishBuild.
   *
   * @throws TimeoutException if it does not arrive within {@code timeout}
   */
  public FinishBuildRequest awaitResult(Duration timeout) throws TimeoutException, InterruptedException {
    try {
      return finish.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the finish future never fails", e);
    }
  }

  int countConnectionPoll() {
    return connectionPolls.incrementAndGet();
  }

  void countHealthReport() {
    healthReports.incrementAndGet();
  }

  /** Records FinishBuild; returns false when the build was already finished. */
  boolean finish(FinishBuildRequest result) {
    return finish.complete(result);
  }

  @Override
  public String toString() {
    return "DepotBuild{id=" + id + ", project=" + projectId + ", result="
        + result().map(r -> r.getResultCase().name()).orElse("running") + "}";
  }
}
