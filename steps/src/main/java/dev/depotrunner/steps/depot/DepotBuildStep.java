package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.SolveCancelledException;
import dev.depotrunner.buildkit.auth.RegistryCredentials;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.steps.build.BuildMetadata;
import dev.depotrunner.steps.build.BuildResult;
import dev.depotrunner.steps.build.BuildStep;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ProgressMode;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@code depot build} on a Depot builder: creates the build through Depot's API, waits for its
 * BuildKit builder, connects with the mutual TLS certificates Depot returns, reports health while the
 * build runs, and finishes every build it created with success, the error, or cancellation. A failed
 * FinishBuild call becomes a warning notice. With {@code --save}, the image is also pushed to the
 * registry that CreateBuild returns (see {@link SavedImage}). A dynamic build whose platforms span amd64
 * and arm64 runs on one builder per architecture, which {@link MultiPlatformBuild} joins.
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
  private final AtomicReference<DepotBuild> build = new AtomicReference<>();
  private final AtomicReference<BuildStep> running = new AtomicReference<>();
  private final AtomicReference<MultiPlatformBuild> runningOnSeveral = new AtomicReference<>();
  private volatile boolean cancelled;
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
    cancelled = true;
    DepotBuild depotBuild = build.get();
    if (depotBuild != null) {
      depotBuild.cancel();
    }
    BuildStep step = running.get();
    if (step != null) {
      step.cancel();
    }
    MultiPlatformBuild several = runningOnSeveral.get();
    if (several != null) {
      several.cancel();
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
    List<PlatformGroup> groups =
        PlatformGroup.split(options.platforms(), options.buildPlatform(), PlatformGroup.hostBuilder());
    if (groups.size() > 1) {
      // Rejects outputs that several builders cannot produce before Depot starts any builder.
      BuilderOutputs.plan(options);
    }

    try (DepotBuild depotBuild = DepotBuild.create(
        api, CreateBuildRequests.of(options, projectId), token, healthInterval, this::warn, this::cancel)) {
      build.set(depotBuild);
      if (cancelled) {
        depotBuild.cancel();
      }
      this.created = new CreatedBuild(depotBuild.id(), depotBuild.url(), depotBuild.projectId());
      announce(depotBuild.url(), options);

      try {
        Optional<SavedImage> saved = savedImage(options, depotBuild);
        BuildResult result = buildOnBuilder(depotBuild, saved.map(SavedImage::options).orElse(options), groups,
            saved.map(SavedImage::credentials).orElse(Map.of()));
        depotBuild.succeeded();
        recordInMetadata(options, depotBuild.id(), depotBuild.projectId());
        saved.ifPresent(image -> printUsage(image, depotBuild, options));
        return new DepotBuildResult(result, depotBuild.id(), depotBuild.url(), depotBuild.projectId());
      } catch (BuildStepException e) {
        if (causedByCancel(e)) {
          depotBuild.cancel();
        }
        depotBuild.failed(e.getMessage());
        throw e;
      } catch (InterruptedException e) {
        depotBuild.canceled();
        throw e;
      } catch (RuntimeException e) {
        depotBuild.failed(e.getMessage());
        throw e;
      }
    } finally {
      build.set(null);
    }
  }

  private void warn(String message) {
    listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.WARNING, message));
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

  /** Shows the build's page, unless {@code DEPOT_NO_SUMMARY_LINK} is set or progress is quiet. */
  private void announce(String buildUrl, BuildOptions options) {
    if (buildUrl.isEmpty() || !showsSummary(options)) {
      return;
    }
    listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO, "Build: " + buildUrl));
  }

  private static Optional<SavedImage> savedImage(BuildOptions options, DepotBuild depotBuild)
      throws BuildStepException {
    if (!options.save()) {
      return Optional.empty();
    }
    return Optional.of(SavedImage.add(options, depotBuild.response(), depotBuild.projectId(), Optional.empty()));
  }

  /** Shows how to pull and push a saved build, under the same conditions as the build's page. */
  private void printUsage(SavedImage saved, DepotBuild depotBuild, BuildOptions options) {
    if (!showsSummary(options)) {
      return;
    }
    for (String line : saved.usage(depotBuild.projectId(), depotBuild.id())) {
      listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO, line));
    }
  }

  private boolean showsSummary(BuildOptions options) {
    return showsSummary(options, environment);
  }

  /**
   * Returns whether the build link and save usage print: not when progress is quiet or
   * {@code DEPOT_NO_SUMMARY_LINK} is set, as in the Depot CLI.
   */
  static boolean showsSummary(BuildOptions options, Map<String, String> environment) {
    boolean quiet = options.quiet() || options.progress() == ProgressMode.QUIET;
    return !quiet && environment.getOrDefault("DEPOT_NO_SUMMARY_LINK", "").isEmpty();
  }

  private BuildResult buildOnBuilder(
      DepotBuild depotBuild, BuildOptions options, List<PlatformGroup> groups,
      Map<String, RegistryCredentials> registryCredentials)
      throws BuildStepException, InterruptedException {
    if (groups.size() > 1) {
      return buildOnSeveral(depotBuild, options, groups, registryCredentials);
    }

    BuilderConnection connection;
    try {
      connection = depotBuild.connect(groups.get(0).builder());
    } catch (BuildStepException e) {
      if (depotBuild.isCancelled()) {
        listener.onEvent(new BuildEvent.Cancelled(BuildStep.DEFAULT_TARGET, Instant.now()));
      }
      throw e;
    }

    var step = new BuildStep(listener, environment, stdout, machineId);
    running.set(step);
    try {
      if (cancelled) {
        step.cancel();
      }
      return step.run(options, connection, registryCredentials);
    } finally {
      running.set(null);
    }
  }

  /** Builds each architecture's platforms on a builder of that architecture, in parallel. */
  private BuildResult buildOnSeveral(
      DepotBuild depotBuild, BuildOptions options, List<PlatformGroup> groups,
      Map<String, RegistryCredentials> registryCredentials) throws BuildStepException, InterruptedException {
    var several = new MultiPlatformBuild(listener, environment, stdout, machineId);
    runningOnSeveral.set(several);
    try {
      if (cancelled) {
        several.cancel();
      }
      return several.run(depotBuild, options, groups, registryCredentials);
    } finally {
      runningOnSeveral.set(null);
    }
  }

  private static boolean causedByCancel(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SolveCancelledException) {
        return true;
      }
    }
    return false;
  }
}
