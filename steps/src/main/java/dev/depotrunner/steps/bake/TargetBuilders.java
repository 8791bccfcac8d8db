package dev.depotrunner.steps.bake;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.steps.build.BuildStepException;

/**
 * The builders that bake targets run on. A local bake shares one connection. A bake on Depot connects to
 * the builder of the target's project when the target starts.
 */
@FunctionalInterface
public interface TargetBuilders {

  /**
   * Returns the connection for {@code target}, connecting first if needed. The implementation owns it.
   *
   * @throws BuildStepException if no builder is available, with a one-line message
   */
  BuilderConnection connectionFor(String target) throws BuildStepException, InterruptedException;

  /** Returns builders that run every target on {@code connection}. */
  static TargetBuilders shared(BuilderConnection connection) {
    return target -> connection;
  }
}
