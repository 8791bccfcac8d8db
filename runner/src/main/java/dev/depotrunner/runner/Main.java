package dev.depotrunner.runner;

import dev.depotrunner.runner.cli.BakeExecutor;
import dev.depotrunner.runner.cli.BuildExecutor;
import dev.depotrunner.runner.cli.DepotCommand;
import dev.depotrunner.runner.cli.Invocation;
import java.util.Arrays;
import java.util.ServiceLoader;

/** The entry point of the {@code depot} command. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    LogLines.install(Arrays.asList(args).contains("--debug"));
    System.exit(run(args, Invocation.ofProcess(), loadExecutor(), loadBakeExecutor()));
  }

  /** Runs {@code depot} with the given arguments and returns its exit code. */
  public static int run(String[] args, Invocation invocation, BuildExecutor executor) {
    return DepotCommand.commandLine(executor, invocation).execute(args);
  }

  /** Runs {@code depot} with executors for both builds and bakes, and returns its exit code. */
  public static int run(String[] args, Invocation invocation, BuildExecutor executor, BakeExecutor bakeExecutor) {
    return DepotCommand.commandLine(executor, bakeExecutor, invocation).execute(args);
  }

  /**
   * Returns the {@link BuildExecutor} registered under {@code META-INF/services}, or one that fails with a
   * message saying that this build of depot-runner cannot run builds.
   */
  static BuildExecutor loadExecutor() {
    return ServiceLoader.load(BuildExecutor.class)
        .findFirst()
        .orElse((options, invocation) -> {
          invocation.err().println("error: this depot-runner build has no build executor; install a complete release");
          return 1;
        });
  }

  /** Returns the {@link BakeExecutor} registered under {@code META-INF/services}, or one that fails with a message. */
  static BakeExecutor loadBakeExecutor() {
    return ServiceLoader.load(BakeExecutor.class)
        .findFirst()
        .orElse((definition, settings, invocation) -> {
          invocation.err().println("error: this depot-runner build has no bake executor; install a complete release");
          return 1;
        });
  }
}
