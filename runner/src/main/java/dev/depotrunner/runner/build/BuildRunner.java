package dev.depotrunner.runner.build;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnectionException;
import dev.depotrunner.buildkit.transport.BuilderConnections;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.oidc.CredentialRequest;
import dev.depotrunner.oidc.DepotCredentials;
import dev.depotrunner.oidc.DepotToken;
import dev.depotrunner.oidc.IdentityException;
import dev.depotrunner.runner.ci.CiEnvironment;
import dev.depotrunner.runner.ci.CiReportException;
import dev.depotrunner.runner.ci.CiReporter;
import dev.depotrunner.runner.ci.CiReporters;
import dev.depotrunner.runner.ci.ReportContext;
import dev.depotrunner.runner.cli.BuildExecutor;
import dev.depotrunner.runner.cli.Invocation;
import dev.depotrunner.runner.progress.ProgressMode;
import dev.depotrunner.runner.progress.ProgressOptions;
import dev.depotrunner.runner.progress.ProgressRenderer;
import dev.depotrunner.runner.progress.ProgressRenderers;
import dev.depotrunner.steps.build.BuildResult;
import dev.depotrunner.steps.build.BuildStep;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ContextSource;
import dev.depotrunner.steps.depot.DepotBuildStep;
import dev.depotrunner.steps.depot.ProjectFile;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code depot build}: on a Depot builder when a token and a project are known and no builder was
 * named with {@code --builder} or {@code BUILDKIT_HOST}, else on a local BuildKit builder. It renders
 * progress in the chosen mode and turns SIGINT and SIGTERM into a cancelled Solve.
 */
public final class BuildRunner implements BuildExecutor {

  /** A build that can be cancelled from the signal handler's thread. */
  private interface CancellableBuild {
    BuildResult run() throws BuildStepException, InterruptedException;

    void cancel();
  }

  /** Where a Depot build runs: its project and the token that creates it. */
  record DepotTarget(String projectId, ApiToken token) {}

  @Override
  public int execute(BuildOptions options, Invocation invocation) throws Exception {
    CiReporter reporter = CiReporters.create(
        CiEnvironment.detect(invocation.environment()), invocation.err(), invocation.workingDirectory());
    options.token().ifPresent(token -> reporter.registerSecret(token.value()));
    CiReporters.registerSecrets(reporter, options.secrets(), invocation.environment(), invocation.workingDirectory());

    Optional<DepotTarget> depot = depotTarget(options, invocation, reporter);
    if (depot.isPresent()) {
      return executeOnDepot(options, invocation, depot.get(), reporter);
    }
    return executeLocally(options, invocation, reporter);
  }

  /**
   * Returns the Depot project and token when the build runs on Depot: both are known and no local builder
   * was named. The project is looked for first, so that a build with no Depot project never asks the CI
   * for an identity it may not have. Warns when only one of the two is set and the build runs locally.
   */
  private static Optional<DepotTarget> depotTarget(BuildOptions options, Invocation invocation, CiReporter reporter)
      throws IOException, IdentityException {
    if (options.builderEndpoint().address().isPresent()) {
      return Optional.empty();
    }

    Optional<String> project = options.project();
    if (project.isEmpty()) {
      project = ProjectFile.find(projectSearchStart(options, invocation)).map(ProjectFile.Found::projectId);
    }
    if (project.isEmpty()) {
      boolean tokenGiven = options.token().isPresent()
          || !invocation.environment().getOrDefault("DEPOT_TOKEN", "").isBlank();
      if (tokenGiven) {
        invocation.err().println("WARNING: a Depot token is set but no project: pass --project, set DEPOT_PROJECT_ID"
            + " or run depot init; building on a local builder instead");
      }
      return Optional.empty();
    }

    Optional<ApiToken> token = depotToken(options, invocation, reporter);
    if (token.isEmpty()) {
      invocation.err().println("WARNING: Depot project " + project.get() + " is set but no Depot token: pass --token,"
          + " set DEPOT_TOKEN, run depot login or give the CI job an OIDC identity; building on a local builder"
          + " instead");
      return Optional.empty();
    }
    return Optional.of(new DepotTarget(project.get(), token.get()));
  }

  /**
   * Returns the Depot token in the Depot CLI's order: {@code --token}, {@code DEPOT_TOKEN}, the token saved
   * by {@code depot login}, the CI's OIDC identity, then {@code DEPOT_JIT_TOKEN} and {@code DEPOT_CACHE_TOKEN}.
   * The CI's ID token and the Depot token are masked by the CI reporter before the identity line prints.
   *
   * @throws IdentityException if the CI's identity is present but unusable, such as expired
   */
  static Optional<ApiToken> depotToken(BuildOptions options, Invocation invocation, CiReporter reporter)
      throws IdentityException {
    var request = new CredentialRequest(options.token().map(token -> token.value()), invocation.environment(),
        invocation.err()::println, reporter::registerSecret);
    Optional<DepotToken> found = DepotCredentials.resolve(request);
    if (found.isEmpty()) {
      return Optional.empty();
    }

    DepotToken token = found.get();
    reporter.registerSecret(token.value());
    token.identity().ifPresent(identity -> invocation.err().println(identity.describe()));
    return Optional.of(ApiToken.of(token.value()));
  }

  /** Returns the folder where the search for depot.json starts: a local context, else the working folder. */
  private static Path projectSearchStart(BuildOptions options, Invocation invocation) {
    if (options.context() instanceof ContextSource.Local local) {
      return invocation.workingDirectory().resolve(local.directory());
    }
    return invocation.workingDirectory();
  }

  private int executeOnDepot(BuildOptions options, Invocation invocation, DepotTarget target, CiReporter reporter)
      throws InterruptedException {
    Map<String, String> environment = invocation.environment();
    ConnectClient client = ConnectClient.fromEnvironment(environment, UserAgent.of(version(), runsInCi(environment)));
    ProgressRenderer renderer = reporter.attach(renderer(options, invocation, reporter));
    DepotBuildStep step;
    int exitCode;
    try {
      step = new DepotBuildStep(
          new BuildService(client), renderer, environment, invocation.out(), MachineId.load(environment));
      DepotBuildStep running = step;
      CancellableBuild build = new CancellableBuild() {
        @Override
        public BuildResult run() throws BuildStepException, InterruptedException {
          return running.run(options, target.projectId(), target.token()).build();
        }

        @Override
        public void cancel() {
          running.cancel();
        }
      };
      exitCode = runWithSignals(build, options, renderer, invocation);
    } finally {
      renderer.close();
    }

    ReportContext context = ReportContext.forBuild(BuildStep.DEFAULT_TARGET, options);
    Optional<DepotBuildStep.CreatedBuild> created = step.created();
    context = context.withDepotBuild(
        created.map(DepotBuildStep.CreatedBuild::buildId),
        created.map(DepotBuildStep.CreatedBuild::buildUrl),
        Optional.of(created.map(DepotBuildStep.CreatedBuild::projectId).orElse(target.projectId())));
    return report(reporter, context, invocation, exitCode);
  }

  private int executeLocally(BuildOptions options, Invocation invocation, CiReporter reporter) throws Exception {
    BuilderSelection.Choice choice = BuilderSelection.choose(options, invocation.environment());
    ProgressRenderer renderer = reporter.attach(renderer(options, invocation, reporter));
    if (choice.implicitDockerEngine()) {
      renderer.onEvent(new BuildEvent.Notice(
          BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO,
          "no builder configured: using the local Docker Engine at " + choice.endpoint()));
    }

    int exitCode;
    try (BuilderConnection connection = connect(choice)) {
      var step = new BuildStep(renderer, invocation.environment(), invocation.out(), MachineId.load(invocation.environment()));
      CancellableBuild build = new CancellableBuild() {
        @Override
        public BuildResult run() throws BuildStepException, InterruptedException {
          return step.run(options, connection);
        }

        @Override
        public void cancel() {
          step.cancel();
        }
      };
      exitCode = runWithSignals(build, options, renderer, invocation);
    } finally {
      renderer.close();
    }
    return report(reporter, ReportContext.forBuild(BuildStep.DEFAULT_TARGET, options), invocation, exitCode);
  }

  /** Writes the CI's outputs and summary; a report that cannot be written fails the run. */
  static int report(CiReporter reporter, ReportContext context, Invocation invocation, int exitCode) {
    try {
      reporter.finish(context);
      return exitCode;
    } catch (CiReportException e) {
      invocation.err().println("error: " + e.getMessage());
      return 1;
    }
  }

  private static BuilderConnection connect(BuilderSelection.Choice choice) throws BuilderConnectionException {
    return BuilderConnections.open(choice.endpoint());
  }

  /** Returns the version from the jar manifest, or {@code dev} when run from classes. */
  static String version() {
    String version = BuildRunner.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /**
   * Returns whether the process runs in a CI job, by the {@code CI} variable that GitHub Actions, GitLab,
   * CircleCI, Buildkite and most other CI services set.
   */
  static boolean runsInCi(Map<String, String> environment) {
    String ci = environment.getOrDefault("CI", "");
    return !ci.isEmpty() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
  }

  private static ProgressRenderer renderer(BuildOptions options, Invocation invocation, CiReporter reporter) {
    ProgressMode mode = options.quiet() ? ProgressMode.QUIET : ProgressMode.valueOf(options.progress().name());
    boolean terminal = ProgressRenderers.isTerminal();
    return ProgressRenderers.create(
        mode, reporter.output(), terminal, ProgressOptions.defaults().withDebug(invocation.debug()));
  }

  private static int runWithSignals(
      CancellableBuild build, BuildOptions options, ProgressRenderer renderer, Invocation invocation)
      throws InterruptedException {
    try (var signals = new CancelOnSignal(build::cancel)) {
      BuildResult result = build.run();
      if (options.quiet()) {
        invocation.out().println(result.imageId());
      }
      return 0;
    } catch (BuildStepException e) {
      if (!e.reported()) {
        renderer.onEvent(new BuildEvent.Failed(BuildStep.DEFAULT_TARGET, e.getMessage(), "", null, Instant.now()));
      }
      if (invocation.debug()) {
        e.printStackTrace(invocation.err());
      }
      return 1;
    }
  }
}
