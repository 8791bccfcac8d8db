package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.steps.registry.PullTokenStep;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code depot pull-token [BUILD_ID]}: prints a new token for pulling from Depot's registry. */
@Command(name = "pull-token", description = "Create a new pull token for the registry.")
final class PullTokenCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "BUILD_ID",
      description = "Limit the token to this build's images.")
  String buildId;

  @Option(names = "--project", paramLabel = "ID", description = "Depot project ID (default: $DEPOT_PROJECT_ID or depot.json).")
  String project;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN).")
  String token;

  private final Invocation invocation;

  PullTokenCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> environment = invocation.environment();
    ApiToken apiToken = ProjectResolution.token(token, environment).map(ApiToken::of)
        .orElseThrow(() -> new ParameterException(spec.commandLine(),
            "missing API token, please run `depot login` or set DEPOT_TOKEN"));
    Optional<String> projectId =
        ProjectResolution.projectId(project, environment, invocation.workingDirectory());
    Optional<String> build = Optional.ofNullable(buildId).filter(value -> !value.isBlank());
    if (projectId.isEmpty() && build.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "unknown project ID (run `depot init` or use --project or $DEPOT_PROJECT_ID)");
    }

    ConnectClient client = ConnectClient.fromEnvironment(
        environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI")));
    String pullToken = new PullTokenStep(new BuildService(client)).run(projectId, build, apiToken);
    invocation.out().println(pullToken);
    return CommandLine.ExitCode.OK;
  }
}
