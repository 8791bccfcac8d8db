package dev.depotrunner.runner.build;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnectionException;
import dev.depotrunner.buildkit.transport.BuilderConnections;
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
import dev.depotrunner.steps.events.BuildEvent;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code depot build} on a BuildKit builder: picks the builder, connects, renders progress in the
 * chosen mode, and turns SIGINT and SIGTERM into a cancelled Solve.
 */
public final class BuildRunner implements BuildExecutor {

  /** How long a signal waits for the builder to acknowledge the cancel before the process exits anyway. */
  private static final long CANCEL_GRACE_SECONDS = 15;

  @Override
  public int execute(BuildOptions options, Invocation invocation) throws Exception {
    CiReporter reporter = CiReporters.create(
        CiEnvironment.detect(invocation.environment()), invocation.err(), invocation.workingDirectory());
    options.token().ifPresent(token -> reporter.registerSecret(token.value()));
    CiReporters.registerSecrets(reporter, options.secrets(), invocation.environment(), invocation.workingDirectory());

    if (options.token().isPresent() || invocation.environment().containsKey("DEPOT_TOKEN")) {
      // NOTE: Depot's remote builders need the Depot API client; until then a token is not used.
      invocation.err().println(
          "warning: Depot builders are not available in this version; building on a local builder instead");
    }

    BuilderSelection.Choice choice = BuilderSelection.choose(options, invocation.environment());
    ProgressRenderer renderer = reporter.attach(renderer(options, invocation));
    if (choice.implicitDockerEngine()) {
      renderer.onEvent(new BuildEvent.Notice(
          BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO,
          "no builder configured: using the local Docker Engine at " + choice.endpoint()));
    }

    int exitCode;
    try (BuilderConnection connection = connect(choice)) {
      var step = new BuildStep(renderer, invocation.environment(), invocation.out(), MachineId.load(invocation.environment()));
      exitCode = runWithSignals(step, options, connection, renderer, invocation);
    } finally {
      renderer.close();
    }
    return report(reporter, ReportContext.forBuild(BuildStep.DEFAULT_TARGET, options), invocation, exitCode);
  }

  /** Writes the CI's outputs and summary; a report that cannot be written fails the run. */
  private static int report(CiReporter reporter, ReportContext context, Invocation invocation, int exitCode) {
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

  private static ProgressRenderer renderer(BuildOptions options, Invocation invocation) {
    ProgressMode mode = options.quiet() ? ProgressMode.QUIET : ProgressMode.valueOf(options.progress().name());
    boolean terminal = ProgressRenderers.isTerminal();
    return ProgressRenderers.create(mode, invocation.err(), terminal, ProgressOptions.defaults().withDebug(invocation.debug()));
  }

  private static int runWithSignals(
      BuildStep step, BuildOptions options, BuilderConnection connection, ProgressRenderer renderer, Invocation invocation)
      throws InterruptedException {
    var finished = new CountDownLatch(1);
    Thread cancelOnSignal = new Thread(() -> {
      step.cancel();
      try {
        finished.await(CANCEL_GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "depot-cancel");
    Runtime.getRuntime().addShutdownHook(cancelOnSignal);

    try {
      BuildResult result = step.run(options, connection);
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
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(cancelOnSignal);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running because of a signal; it ends on its own.
      }
    }
  }
}
