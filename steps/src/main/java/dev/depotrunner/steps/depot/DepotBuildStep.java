package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.SolveCancelledException;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnectionException;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionResponse;
import dev.depotrunner.steps.build.BuildMetadata;
import dev.depotrunner.steps.build.BuildResult;
import dev.depotrunner.steps.build.BuildStep;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.Platform;
import dev.depotrunner.steps.build.options.ProgressMode;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@code depot build} on a Depot builder: creates the build through Depot's API, waits for its
 * BuildKit builder, connects with the mutual TLS certificates Depot returns, reports health while the
 * build runs, and finishes every build it created with success, the error, or cancellation. A failed
 * FinishBuild call becomes a warning notice.
 *
 * <p>{@link #cancel()} may be called from another thread, such as a signal handler; the build is then
 * finished as cancelled.
 */
public final class DepotBuildStep {

  /** How often ReportBuildHealth is sent; the Depot CLI reports every 5 seconds. */
  public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(5);

  private final BuildService api;
  private final BuildEventListener listener;
  private final Map<String, String> environment;
  private final OutputStream stdout;
  private final String machineId;
  private final Duration healthInterval;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicReference<BuildStep> running = new AtomicReference<>();
  private volatile CreatedBuild created;

  /** A build that Depot created: what a report links to, whether or not the build succeeded. */
  public record CreatedBuild(String buildId, String buildUrl, String projectId) {}

  /**
   * @param api Depot's build service; the caller owns its HTTP client
   * @param stdout where a {@code -o -} tarball goes; the caller owns it
   * @param machineId a stable id of this machine, as {@link BuildStep} takes it
   */
  public DepotBuildStep(
      BuildService api, BuildEventListener listener, Map<String, String> environment, OutputStream stdout,
      String machineId) {
    this(api, listener, environment, stdout, machineId, HEALTH_INTERVAL);
  }

  /** Creates a step that reports health every {@code healthInterval}, for tests. */
  public DepotBuildStep(
      BuildService api, BuildEventListener listener, Map<String, String> environment, OutputStream stdout,
      String machineId, Duration healthInterval) {
    this.api = Objects.requireNonNull(api, "api");
    this.listener = listener;
    this.environment = Map.copyOf(environment);
    this.stdout = stdout;
    this.machineId = machineId;
    this.healthInterval = healthInterval;
  }

  /** Returns the build that the last {@link #run} created, once CreateBuild has returned. */
  public Optional<CreatedBuild> created() {
    return Optional.ofNullable(created);
  }

  /** Cancels the build: stops waiting for a builder, or cancels the running Solve. */
  public void cancel() {
    cancelled.countDown();
    BuildStep step = running.get();
    if (step != null) {
      step.cancel();
    }
  }

  /**
   * Builds on a Depot builder of {@code projectId}.
   *
   * @param token the user's token, which CreateBuild takes; the later calls carry the build token
   * @throws BuildStepException if the build cannot be created or fails; its message is one line
   */
  public DepotBuildResult run(BuildOptions options, String projectId, ApiToken token)
      throws BuildStepException, InterruptedException {
    CreateBuildResponse created = createBuild(options, projectId, token);
    String buildId = created.getBuildId();
    ApiToken buildToken = ApiToken.of(created.getBuildToken());
    String resultProject = created.getProjectId().isEmpty() ? projectId : created.getProjectId();
    this.created = new CreatedBuild(buildId, created.getBuildUrl(), resultProject);
    announce(created.getBuildUrl(), options);

    BuilderPlatform platform = builderPlatform(options);
    try (HealthReporter health =
        HealthReporter.start(api, buildId, buildToken, platform, healthInterval, this::cancel)) {
      BuildResult result = buildOnBuilder(options, buildId, buildToken, platform);
      finish(buildId, buildToken, FinishBuildRequest.newBuilder()
          .setSuccess(FinishBuildRequest.BuildSuccess.getDefaultInstance()));
      recordInMetadata(options, buildId, resultProject);
      return new DepotBuildResult(result, buildId, created.getBuildUrl(), resultProject);
    } catch (BuildStepException e) {
      finish(buildId, buildToken, failure(e));
      throw e;
    } catch (InterruptedException e) {
      finish(buildId, buildToken, canceled());
      throw e;
    } catch (RuntimeException e) {
      finish(buildId, buildToken, FinishBuildRequest.newBuilder()
          .setError(FinishBuildRequest.BuildError.newBuilder().setError(String.valueOf(e.getMessage()))));
      throw e;
    }
  }

  /** Adds the build's ids to {@code --metadata-file}, as the Depot CLI writes them. */
  private static void recordInMetadata(BuildOptions options, String buildId, String projectId)
      throws BuildStepException {
    if (options.metadataFile().isEmpty()) {
      return;
    }
    Path file = options.metadataFile().get();
    try {
      BuildMetadata.addDepotBuild(file, buildId, projectId);
    } catch (IOException e) {
      throw BuildStepException.of("cannot write the metadata file " + file + ": " + e.getMessage(), e);
    }
  }

  private CreateBuildResponse createBuild(BuildOptions options, String projectId, ApiToken token)
      throws BuildStepException, InterruptedException {
    try {
      return api.createBuild(CreateBuildRequests.of(options, projectId), token);
    } catch (DepotApiException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
  }

  /** Shows the build's page, unless {@code DEPOT_NO_SUMMARY_LINK} is set or progress is quiet. */
  private void announce(String buildUrl, BuildOptions options) {
    boolean quiet = options.quiet() || options.progress() == ProgressMode.QUIET;
    if (buildUrl.isEmpty() || quiet || !environment.getOrDefault("DEPOT_NO_SUMMARY_LINK", "").isEmpty()) {
      return;
    }
    listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO, "Build: " + buildUrl));
  }

  private BuildResult buildOnBuilder(BuildOptions options, String buildId, ApiToken buildToken, BuilderPlatform platform)
      throws BuildStepException, InterruptedException {
    GetBuildKitConnectionResponse.ActiveConnection active;
    try {
      active = BuilderLease.awaitBuilder(api, buildId, buildToken, platform,
          wait -> !cancelled.await(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (DepotApiException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
    if (active == null) {
      listener.onEvent(new BuildEvent.Cancelled(BuildStep.DEFAULT_TARGET, Instant.now()));
      throw BuildStepException.reported("build cancelled while waiting for a Depot builder", null);
    }

    BuilderEndpoint endpoint;
    try {
      endpoint = BuilderLease.endpoint(active);
    } catch (IllegalArgumentException e) {
      throw BuildStepException.of("Depot returned an unusable builder for build " + buildId + ": " + e.getMessage(), e);
    }

    try (BuilderConnection connection = BuilderLease.connect(endpoint)) {
      var step = new BuildStep(listener, environment, stdout, machineId);
      running.set(step);
      if (cancelled.getCount() == 0) {
        step.cancel();
      }
      return step.run(options, connection);
    } catch (BuilderConnectionException e) {
      throw BuildStepException.of(
          "cannot connect to the Depot builder of build " + buildId + ": " + e.getMessage(), e);
    } finally {
      running.set(null);
    }
  }

  /**
   * Returns the machine architecture to ask for: {@code --build-platform} when set, else arm64 when every
   * target platform is arm64, else amd64.
   *
   * <p>NOTE: Depot's dynamic mode starts one builder per target architecture; this runs every platform
   * of a multi-platform build on one builder, which emulates the other architectures.
   */
  static BuilderPlatform builderPlatform(BuildOptions options) {
    return switch (options.buildPlatform()) {
      case LINUX_AMD64 -> BuilderPlatform.BUILDER_PLATFORM_AMD64;
      case LINUX_ARM64 -> BuilderPlatform.BUILDER_PLATFORM_ARM64;
      case DYNAMIC -> {
        boolean allArm = !options.platforms().isEmpty()
            && options.platforms().stream().map(Platform::architecture).allMatch("arm64"::equals);
        yield allArm ? BuilderPlatform.BUILDER_PLATFORM_ARM64 : BuilderPlatform.BUILDER_PLATFORM_AMD64;
      }
    };
  }

  private FinishBuildRequest.Builder failure(BuildStepException e) {
    if (cancelled.getCount() == 0 || causedByCancel(e)) {
      return canceled();
    }
    return FinishBuildRequest.newBuilder()
        .setError(FinishBuildRequest.BuildError.newBuilder().setError(e.getMessage()));
  }

  private static boolean causedByCancel(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SolveCancelledException) {
        return true;
      }
    }
    return false;
  }

  private static FinishBuildRequest.Builder canceled() {
    return FinishBuildRequest.newBuilder().setCanceled(FinishBuildRequest.BuildCanceled.getDefaultInstance());
  }

  /**
   * Sends FinishBuild, also when the thread was interrupted by a signal, because an unfinished build keeps
   * its builder until Depot times it out. The interrupt is restored afterwards.
   */
  private void finish(String buildId, ApiToken buildToken, FinishBuildRequest.Builder result) {
    boolean interrupted = Thread.interrupted();
    try {
      api.finishBuild(result.setBuildId(buildId).build(), buildToken);
    } catch (DepotApiException e) {
      listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.WARNING,
          "failed to finish Depot build " + buildId + ": " + e.getMessage()));
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
