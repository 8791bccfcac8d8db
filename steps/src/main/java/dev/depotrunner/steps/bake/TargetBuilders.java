package dev.depotrunner.steps.bake;

import dev.depotrunner.buildkit.auth.RegistryCredentials;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import java.util.Map;

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

  /**
   * Returns what {@code target} builds with: its options, which a bake on Depot extends with the
   * {@code --save} export, and registry credentials for the session's Auth. By default, the options as
   * they are and no credentials.
   *
   * @throws BuildStepException if the options cannot be extended; its message is one line
   */
  default TargetBuild prepare(String target, BuildOptions options) throws BuildStepException {
    return new TargetBuild(options, Map.of());
  }

  /** The options a target builds with, and the registry credentials its session serves besides the user's. */
  record TargetBuild(BuildOptions options, Map<String, RegistryCredentials> credentials) {}

  /** Returns builders that run every target on {@code connection}. */
  static TargetBuilders shared(BuilderConnection connection) {
    return target -> connection;
  }
}
