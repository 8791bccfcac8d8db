package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.runner.progress.ProgressMode;
import dev.depotrunner.runner.progress.TransferRenderer;
import dev.depotrunner.steps.build.DockerHost;
import dev.depotrunner.steps.registry.PullRequest;
import dev.depotrunner.steps.registry.PullStep;
import dev.depotrunner.steps.registry.PullTag;
import java.util.ArrayList;
import java.util.List;
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

/**
 * {@code depot pull BUILD_ID [-t TAG]...}: pulls a saved build's image from Depot's registry
 * into the Docker Engine that {@code DOCKER_HOST} names, with the Depot CLI's flags. The argument may
 * also name a saved tag, {@code PROJECT:TAG} or {@code registry.depot.dev/PROJECT:TAG}, as with
 * {@code --save-tag}. {@code DEPOT_REGISTRY_HOST} replaces {@code registry.depot.dev}, for a registry
 * that replaces Depot's, such as a local test double.
 *
 * <p>NOTE: the Depot CLI also lets the user pick a build on a terminal, and retries a failed build
 * lookup as a tag of {@code --project}; this implementation does neither.
 */
@Command(name = "pull", description = "Pull a project's build from the Depot registry.")
final class PullCommand implements Callable<Integer> {

  /** The registry that saved builds are in, as the Depot CLI names it. */
  static final String DEPOT_REGISTRY = "registry.depot.dev";

  /** The variable that names another registry in place of {@link #DEPOT_REGISTRY}. */
  static final String REGISTRY_HOST_VARIABLE = "DEPOT_REGISTRY_HOST";

  @Spec private CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "BUILD_ID", description = "The build to pull, or a saved tag as PROJECT:TAG.")
  String buildId;

  // Accepted as the Depot CLI accepts it, which uses it only for pulls by tag.
  @Option(names = "--project", paramLabel = "ID",
      description = "Depot project ID; unused, because a build ID names its project.")
  String project;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN).")
  String token;

  @Option(names = "--platform", paramLabel = "PLATFORM",
      description = "Pull the image for this platform (\"linux/amd64\", \"linux/arm64\").")
  String platform;

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME:TAG", split = ",",
      description = "Name and tag for the pulled image (default: the build's tags); repeatable.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--target", paramLabel = "TARGET", split = ",",
      description = "Bake target whose image to pull (default: every target); repeatable.")
  List<String> targets = new ArrayList<>();

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "Progress output: auto, plain, tty or quiet (default: $BUILDKIT_PROGRESS or auto).")
  String progress;

  private final Invocation invocation;

  PullCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> environment = invocation.environment();
    ApiToken apiToken = ProjectResolution.token(token, environment).map(ApiToken::of)
        .orElseThrow(() -> new ParameterException(spec.commandLine(),
            "missing API token, please run `depot login` or set DEPOT_TOKEN"));
    if (buildId == null || buildId.isBlank()) {
      throw new ParameterException(spec.commandLine(),
          "missing build ID: pass the ID of the build to pull as the argument");
    }
    List<String> names = validateTags();
    ProgressMode mode = progressMode(environment);

    ConnectClient client = ConnectClient.fromEnvironment(
        environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI")));
    PullStep step = new PullStep(new BuildService(client), DockerHost.client(environment),
        new PullProgress(TransferRenderer.create(mode, invocation.err(), environment)));
    step.run(new PullRequest(buildId, names, targets,
        Optional.ofNullable(platform).filter(value -> !value.isBlank()), apiToken),
        environment.getOrDefault(REGISTRY_HOST_VARIABLE, DEPOT_REGISTRY));
    return CommandLine.ExitCode.OK;
  }

  /** Checks each tag, but returns them as given, because a bake pull appends its target to each. */
  private List<String> validateTags() {
    for (String tag : tags) {
      try {
        PullTag.parse(tag);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "invalid --tag: " + e.getMessage(), e, null, tag);
      }
    }
    return tags;
  }

  private ProgressMode progressMode(Map<String, String> environment) {
    try {
      return PushProgress.mode(progress, environment, invocation.stdoutIsTerminal());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
