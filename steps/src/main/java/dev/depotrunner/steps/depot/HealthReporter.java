package dev.depotrunner.steps.depot;

import com.google.protobuf.Timestamp;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.ReportBuildHealthRequest;
import dev.depotrunner.depotapi.proto.cli.v1.ReportBuildHealthResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tells Depot that the client is still following a build, with ReportBuildHealth on a timer, because
 * Depot releases a builder whose client stopped reporting. When Depot responds with a {@code cancels_at}
 * time that has passed, the build is cancelled.
 */
final class HealthReporter implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(HealthReporter.class.getName());

  private final BuildService api;
  private final ApiToken buildToken;
  private final ReportBuildHealthRequest request;
  private final Runnable cancelBuild;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final AtomicInteger failures = new AtomicInteger();

  private HealthReporter(
      BuildService api, ApiToken buildToken, ReportBuildHealthRequest request, Runnable cancelBuild, Clock clock) {
    this.api = api;
    this.buildToken = buildToken;
    this.request = request;
    this.cancelBuild = cancelBuild;
    this.clock = clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "depot-build-health");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts reporting now and then every {@code interval}, until {@link #close()}. */
  static HealthReporter start(
      BuildService api, String buildId, ApiToken buildToken, BuilderPlatform platform, Duration interval,
      Runnable cancelBuild) {
    var request = ReportBuildHealthRequest.newBuilder().setBuildId(buildId).setPlatform(platform).build();
    var reporter = new HealthReporter(api, buildToken, request, cancelBuild, Clock.systemUTC());
    reporter.timer.scheduleWithFixedDelay(reporter::report, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return reporter;
  }

  private void report() {
    ReportBuildHealthResponse response;
    try {
      response = api.reportBuildHealth(request, buildToken);
    } catch (DepotApiException e) {
      // A missed report is retried on the next tick; Depot tolerates gaps of a few intervals.
      int count = failures.incrementAndGet();
      if (count == 1 || count % 10 == 0) {
        LOG.log(System.Logger.Level.WARNING,
            "reporting health of build " + request.getBuildId() + " failed (" + count + " times so far): "
                + e.getMessage());
      }
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }

    if (response.hasCancelsAt() && !clock.instant().isBefore(toInstant(response.getCancelsAt()))) {
      LOG.log(System.Logger.Level.INFO, "Depot asked to cancel build " + request.getBuildId());
      cancelBuild.run();
    }
  }

  private static Instant toInstant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
