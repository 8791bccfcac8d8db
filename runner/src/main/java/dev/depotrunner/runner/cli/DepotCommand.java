package dev.depotrunner.runner.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code depot} command: global flags and the subcommands. Without a subcommand it prints
 * its usage.
 */
@Command(
    name = "depot",
    description = "Build container images on BuildKit, with the Depot CLI's commands and flags.",
    mixinStandardHelpOptions = true,
    versionProvider = DepotCommand.VersionProvider.class)
public final class DepotCommand implements Callable<Integer> {

  /** The exit code of a usage error: an unknown flag, a missing argument or an invalid value. */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  @Spec private CommandSpec spec;

  @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
  private boolean debug;

  @Option(
      names = "--ci",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "Report in this CI's format: github, gitlab, jenkins, circleci, buildkite, generic or none"
          + " (default: $DEPOT_RUNNER_CI, else detected from the environment).")
  private String ci;

  private DepotCommand() {}

  /**
   * Returns the command line for {@code depot}, ready to {@link CommandLine#execute(String...)}; it writes
   * to the invocation's streams and hands builds to {@code executor}.
   */
  public static CommandLine commandLine(BuildExecutor executor, Invocation invocation) {
    return commandLine(executor, (definition, settings, run) -> {
      run.err().println("error: this depot-runner build has no bake executor; install a complete release");
      return 1;
    }, invocation);
  }

  /** Returns the command line for {@code depot}, handing builds to {@code executor} and bakes to {@code bakeExecutor}. */
  public static CommandLine commandLine(BuildExecutor executor, BakeExecutor bakeExecutor, Invocation invocation) {
    var commandLine = new CommandLine(new DepotCommand());
    commandLine.addSubcommand(new BuildCommand(executor, invocation));
    commandLine.addSubcommand(new InitCommand(invocation));
    commandLine.addSubcommand(new PushCommand(invocation));
    commandLine.addSubcommand(new PullCommand(invocation));
    commandLine.addSubcommand(new PullTokenCommand(invocation));
    commandLine.addSubcommand(
        new CommandLine(new CacheCommand()).addSubcommand(new CacheCommand.Reset(invocation)));
    commandLine.addSubcommand(
        new CommandLine(new ProjectsCommand())
            .addSubcommand(new ProjectsCommand.ListProjects(invocation, Clock.systemUTC()))
            .addSubcommand(new ProjectAdministration.Create(invocation))
            .addSubcommand(new ProjectAdministration.Delete(invocation)));
    commandLine.addSubcommand(
        new CommandLine(new ListCommand())
            .addSubcommand(new ListCommand.Builds(invocation, Clock.systemUTC()))
            .addSubcommand("projects", new ProjectsCommand.ListProjects(invocation, Clock.systemUTC())));
    commandLine.addSubcommand(
        new CommandLine(new OrgCommand())
            .addSubcommand(new OrgCommand.ListOrganizations(invocation))
            .addSubcommand(new OrgCommand.Switch(invocation))
            .addSubcommand(new OrgCommand.Show(invocation)));
    commandLine.addSubcommand(new BakeCommand(bakeExecutor, invocation));
    commandLine.setOut(new PrintWriter(invocation.out(), true));
    commandLine.setErr(new PrintWriter(invocation.err(), true));

    var errors = new CommandErrors(invocation);
    commandLine.setParameterExceptionHandler(errors);
    commandLine.setExecutionExceptionHandler(errors);
    return commandLine;
  }

  boolean debug() {
    return debug;
  }

  /** Returns the {@code --ci} value as given, or null. */
  String ci() {
    return ci;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return CommandLine.ExitCode.OK;
  }

  /** Returns the line that follows a usage error, naming where the help is. */
  static String usageHint(String commandName) {
    return "Run '" + commandName + " --help' for usage.";
  }

  /** Returns the version from the jar manifest, or {@code dev} when run from classes. */
  static String version() {
    String version = DepotCommand.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /** Prints {@link #version()}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"depot-runner " + version()};
    }
  }
}
