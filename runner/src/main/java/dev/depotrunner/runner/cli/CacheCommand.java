package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.ProjectsService;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ResetProjectCacheResponse;
import dev.depotrunner.steps.cache.ResetCacheStep;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code depot cache}: operations on a project's build cache. */
@Command(name = "cache", description = "Operations for the Depot project cache.")
final class CacheCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return CommandLine.ExitCode.OK;
  }

  /** {@code depot cache reset [DIR]}: deletes the build cache of one project. */
  @Command(name = "reset", description = "Reset the cache for a project.")
  static final class Reset implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
        description = "Folder whose depot.json names the project (default: the working folder).")
    Path folder;

    @Option(names = "--project", paramLabel = "ID", description = "Depot project ID for the cache to reset.")
    String project;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN).")
    String token;

    private final Invocation invocation;

    Reset(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
      Map<String, String> environment = invocation.environment();
      Path start = folder == null
          ? invocation.workingDirectory()
          : invocation.workingDirectory().resolve(folder);
      String projectId = ProjectResolution.projectId(project, environment, start)
          .orElseThrow(() -> new ParameterException(spec.commandLine(),
              "unknown project ID (run `depot init` or use --project or $DEPOT_PROJECT_ID)"));
      ApiToken apiToken = ProjectResolution.token(token, environment).map(ApiToken::of)
          .orElseThrow(() -> new ParameterException(spec.commandLine(),
              "missing API token, please run `depot login` or set DEPOT_TOKEN"));

      ConnectClient client = ConnectClient.fromEnvironment(
          environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI")));
      ResetProjectCacheResponse reset =
          new ResetCacheStep(new ProjectsService(client)).run(projectId, apiToken);
      invocation.out().println("Cache reset for " + reset.getName() + " (" + reset.getOrgName() + ")");
      return CommandLine.ExitCode.OK;
    }
  }
}
