package dev.depotrunner.runner.cli;

import dev.depotrunner.steps.build.options.BuildOptions;

/**
 * Runs a validated {@code depot build}: plans the Solve, connects to the builder, reports progress and
 * writes the outputs. {@link BuildCommand} calls it once per run and closes the options afterwards.
 */
@FunctionalInterface
public interface BuildExecutor {

  /**
   * Runs the build and returns the process exit code: 0 on success, 1 when the build failed.
   *
   * @throws Exception when the build cannot run; the command prints its message as one line (and the
   *     stack trace with {@code --debug}) and exits with 1
   */
  int execute(BuildOptions options, Invocation invocation) throws Exception;
}
