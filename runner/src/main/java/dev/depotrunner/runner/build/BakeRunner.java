package dev.depotrunner.runner.build;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnections;
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
import dev.depotrunner.steps.events.BuildEvent;
import java.time.Instant;
import java.util.Map;

/**
 * Runs {@code depot bake} on a BuildKit builder: checks every target's options, picks the builder as
 * {@code depot build} does, renders the progress of all targets together, reports every target to the CI
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
    BuilderSelection.Choice choice;
    ProgressRenderer renderer;
    ReportContext context;
    try {
      registerSecrets(reporter, checked, invocation);
      context = ReportContext.forBake(checked);
      BuildOptions first = checked.values().iterator().next();
      for (BuildOptions options : checked.values()) {
        options.warnings().forEach(warning -> invocation.err().println("WARNING: " + warning));
      }
      warnIfDepotRequested(checked, invocation);
      choice = BuilderSelection.choose(first, invocation.environment());
      renderer = reporter.attach(renderer(first, definition, invocation, reporter));
    } finally {
      checked.values().forEach(BuildOptions::close);
    }
    if (choice.implicitDockerEngine()) {
      renderer.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO,
          "no builder configured: using the local Docker Engine at " + choice.endpoint()));
    }

    int exitCode;
    try (BuilderConnection connection = BuilderConnections.open(choice.endpoint())) {
      var step = new BakeStep(renderer, invocation.environment(), invocation.out(), MachineId.load(invocation.environment()));
      exitCode = runWithSignals(step, definition, settings, connection, renderer, invocation);
    } finally {
      renderer.close();
    }
    return BuildRunner.report(reporter, context, invocation, exitCode);
  }

  /**
   * Warns when a target has a Depot token and project, because bake still builds on the local or named
   * builder.
   */
  private static void warnIfDepotRequested(Map<String, BuildOptions> targets, Invocation invocation) {
    // TODO: create one Depot build per project, as depot build does, and run its targets on that builder.
    boolean depot = targets.values().stream()
        .anyMatch(options -> options.project().isPresent() && options.token().isPresent());
    if (depot) {
      invocation.err().println("WARNING: depot bake does not run on Depot builders yet; building on the local"
          + " or named BuildKit builder instead");
    }
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

  private static int runWithSignals(
      BakeStep step, BakeDefinition definition, BakeSettings settings, BuilderConnection connection,
      ProgressRenderer renderer, Invocation invocation) throws InterruptedException {
    try (var signals = new CancelOnSignal(step::cancel)) {
      step.run(definition, settings.targetDefaults(), settings.metadataFile(), connection);
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
