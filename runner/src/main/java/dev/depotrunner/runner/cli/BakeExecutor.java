package dev.depotrunner.runner.cli;

import dev.depotrunner.steps.bake.BakeDefinition;

/**
 * Runs a resolved {@code depot bake}: connects to the builder, builds every target, reports progress and
 * writes the metadata file. {@link BakeCommand} calls it once per run, after {@code --print} was handled.
 */
@FunctionalInterface
public interface BakeExecutor {

  /**
   * Builds the targets and returns the process exit code: 0 on success, 1 when a target failed.
   *
   * @throws Exception when the bake cannot run; the command prints its message as one line (and the stack
   *     trace with {@code --debug}) and exits with 1
   */
  int execute(BakeDefinition definition, BakeSettings settings, Invocation invocation) throws Exception;
}
