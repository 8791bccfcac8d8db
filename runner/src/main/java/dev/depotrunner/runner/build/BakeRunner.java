package dev.depotrunner.runner.build;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnections;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.oidc.IdentityException;
import dev.depotrunner.runner.ci.CiEnvironment;
import dev.depotrunner.runner.ci.CiReporter;
import dev.depotrunner.runner.ci.CiReporters;
import dev.depotrunner.runner.ci.ReportContext;
import dev.depotrunner.runner.cli.BakeExecutor;
import dev.depotrunner.runner.cli.BakeSettings;
import dev.depotrunner.runner.cli.Invocation;
import dev.depotrunner.runner.progress.ProgressMode;
import dev.depotrunner.runner.progress.ProgressOptions;
import dev.depotrunner.runner.progress.ProgressRenderer;
import dev.depotrunner.runner.progress.ProgressRenderers;
import dev.depotrunner.steps.bake.BakeDefinition;
import dev.depotrunner.steps.bake.BakeStep;
import dev.depotrunner.steps.bake.BakeStepException;
import dev.depotrunner.steps.build.BuildStep;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.depot.DepotBakeStep;
import dev.depotrunner.steps.depot.DepotBuildStep;
import dev.depotrunner.steps.depot.ProjectFile;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code depot bake}: on Depot builders, one Depot build per project, when a project and a token are
 * known and no builder was named, else on a BuildKit builder picked as {@code depot build} picks it. It
 * checks every target's options first, renders the progress of all targets together, reports every target to the CI
 * in one report, and turns SIGINT and SIGTERM into cancelled Solves.
 */
public final class BakeRunner implements BakeExecutor {

  @Override
  public int execute(BakeDefinition definition, BakeSettings settings, Invocation invocation) throws Exception {
    Map<String, BuildOptions> checked;
    try {
      checked = BakeStep.validate(definition, settings.targetDefaults());
    } catch (BakeStepException e) {
      invocation.err().println("ERROR: " + e.getMessage());
      return 1;
    }

    CiReporter reporter = CiReporters.create(
        CiEnvironment.detect(invocation.environment()), invocation.err(), invocation.workingDirectory());
    BuildOptions first = checked.values().iterator().next();
    ProgressRenderer renderer;
    ReportContext context;
    try {
      registerSecrets(reporter, checked, invocation);
      context = ReportContext.forBake(checked);
      for (BuildOptions options : checked.values()) {
        options.warnings().forEach(warning -> invocation.err().println("WARNING: " + warning));
      }
      Optional<DepotBake> depot = depotBake(checked, settings, invocation, reporter);
      if (depot.isPresent()) {
        renderer = reporter.attach(renderer(first, definition, invocation, reporter));
        try {
          return executeOnDepot(definition, checked, settings, depot.get(), renderer, reporter, context, invocation);
        } finally {
          renderer.close();
        }
      }
    } finally {
      checked.values().forEach(BuildOptions::close);
    }

    BuilderSelection.Choice choice = BuilderSelection.choose(first, invocation.environment());
    renderer = reporter.attach(renderer(first, definition, invocation, reporter));
    if (choice.implicitDockerEngine()) {
      renderer.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO,
          "no builder configured: using the local Docker Engine at " + choice.endpoint()));
    }

    int exitCode;
    try (BuilderConnection connection = BuilderConnections.open(choice.endpoint())) {
      var step = new BakeStep(renderer, invocation.environment(), invocation.out(), MachineId.load(invocation.environment()));
      exitCode = runWithSignals(step::cancel,
          () -> step.run(definition, settings.targetDefaults(), settings.metadataFile(), connection),
          definition, renderer, invocation);
    } finally {
      renderer.close();
    }
    return BuildRunner.report(reporter, context, invocation, exitCode);
  }

  /** Where a bake runs on Depot: the project of targets that name none, if any, and the token. */
  private record DepotBake(Optional<String> defaultProject, ApiToken token) {}

  /**
   * Returns the Depot settings when the bake runs on Depot: no builder was named, some target has a
   * project (its own, {@code --project}, {@code DEPOT_PROJECT_ID} or depot.json), and a token is found.
   * Warns when only one of project and token is set and the bake runs locally.
   */
  private static Optional<DepotBake> depotBake(
      Map<String, BuildOptions> targets, BakeSettings settings, Invocation invocation, CiReporter reporter)
      throws IOException, IdentityException {
    BuildOptions first = targets.values().iterator().next();
    if (first.builderEndpoint().address().isPresent()) {
      return Optional.empty();
    }

    Optional<String> defaultProject = settings.defaultProject();
    if (defaultProject.isEmpty()) {
      defaultProject = ProjectFile.find(invocation.workingDirectory()).map(ProjectFile.Found::projectId);
    }
    boolean anyProject = defaultProject.isPresent()
        || targets.values().stream().anyMatch(options -> options.project().isPresent());
    if (!anyProject) {
      if (first.token().isPresent()) {
        invocation.err().println("WARNING: a Depot token is set but no project: pass --project, set DEPOT_PROJECT_ID,"
            + " set project_id on the targets or run depot init; building on a local builder instead");
      }
      return Optional.empty();
    }

    Optional<ApiToken> token = BuildRunner.depotToken(first, invocation, reporter);
    if (token.isEmpty()) {
      invocation.err().println("WARNING: a Depot project is set but no Depot token: pass --token, set DEPOT_TOKEN,"
          + " run depot login or give the CI job an OIDC identity; building on a local builder instead");
      return Optional.empty();
    }
    return Optional.of(new DepotBake(defaultProject, token.get()));
  }

  private int executeOnDepot(
      BakeDefinition definition, Map<String, BuildOptions> targets, BakeSettings settings, DepotBake depot,
      ProgressRenderer renderer, CiReporter reporter, ReportContext context, Invocation invocation)
      throws InterruptedException {
    Map<String, String> environment = invocation.environment();
    ConnectClient client = ConnectClient.fromEnvironment(
        environment, UserAgent.of(BuildRunner.version(), BuildRunner.runsInCi(environment)));
    var step = new DepotBakeStep(new BuildService(client), renderer, environment, invocation.out(),
        MachineId.load(environment), DepotBuildStep.HEALTH_INTERVAL);
    int exitCode = runWithSignals(step::cancel,
        () -> step.run(definition, targets, settings.targetDefaults(), settings.metadataFile(),
            depot.defaultProject(), depot.token()),
        definition, renderer, invocation);

    // A report links to one build; a bake over several projects links to the first project's.
    List<DepotBuildStep.CreatedBuild> created = step.created();
    Optional<DepotBuildStep.CreatedBuild> shown = created.stream().findFirst();
    ReportContext withBuild = context.withDepotBuild(
        shown.map(DepotBuildStep.CreatedBuild::buildId),
        shown.map(DepotBuildStep.CreatedBuild::buildUrl),
        shown.map(DepotBuildStep.CreatedBuild::projectId).or(depot::defaultProject));
    return BuildRunner.report(reporter, withBuild, invocation, exitCode);
  }

  /**
   * Registers every target's Depot token and {@code --secret} values with the reporter, so that the CI
   * masks them before the first line of output.
   */
  private static void registerSecrets(CiReporter reporter, Map<String, BuildOptions> targets, Invocation invocation) {
    for (BuildOptions options : targets.values()) {
      CiReporters.registerSecrets(reporter, options, invocation.environment(), invocation.workingDirectory());
    }
  }


  private static ProgressRenderer renderer(
      BuildOptions options, BakeDefinition definition, Invocation invocation, CiReporter reporter) {
    ProgressMode mode = ProgressMode.valueOf(options.progress().name());
    var progressOptions = ProgressOptions.defaults()
        .withDebug(invocation.debug())
        .withMultiTarget(definition.targets().size() > 1);
    return ProgressRenderers.create(mode, reporter.output(), ProgressRenderers.isTerminal(), progressOptions);
  }

  /** A bake run that fails as a bake does. */
  @FunctionalInterface
  private interface BakeRun {
    void run() throws BakeStepException, InterruptedException;
  }

  private static int runWithSignals(
      Runnable cancel, BakeRun bake, BakeDefinition definition, ProgressRenderer renderer, Invocation invocation)
      throws InterruptedException {
    try (var signals = new CancelOnSignal(cancel)) {
      bake.run();
      return 0;
    } catch (BakeStepException e) {
      if (!e.reported()) {
        String target = e.target() == null ? BuildStep.DEFAULT_TARGET : e.target();
        // The renderers put "target NAME: " in front of a failure themselves when several targets build.
        String message = e.getMessage();
        if (definition.targets().size() > 1 && message.startsWith("target " + target + ": ")) {
          message = message.substring(("target " + target + ": ").length());
        }
        renderer.onEvent(new BuildEvent.Failed(target, message, "", null, Instant.now()));
      }
      if (invocation.debug()) {
        e.printStackTrace(invocation.err());
      }
      return 1;
    }
  }
}
