package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.PushService;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.registry.Credentials;
import dev.depotrunner.registry.ImageCopy;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.runner.progress.ProgressMode;
import dev.depotrunner.runner.progress.TransferRenderer;
import dev.depotrunner.steps.registry.PushRequest;
import dev.depotrunner.steps.registry.PushStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code depot push [BUILD_ID] -t TAG...}: copies a build's image from Depot's registry to each
 * tag, with the Depot CLI's flags. Target registry credentials come from {@code
 * DEPOT_PUSH_REGISTRY_*} or the Docker config.
 */
@Command(
    name = "push",
    description = "Push a project's build from the Depot registry to a destination registry.")
final class PushCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "BUILD_ID", description = "The build to push.")
  String buildId;

  @Option(names = "--project", paramLabel = "ID", description = "Depot project ID (default: $DEPOT_PROJECT_ID).")
  String project;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN).")
  String token;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "Progress output: auto, plain, tty or quiet (default: $BUILDKIT_PROGRESS or auto).")
  String progress;

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME:TAG",
      description = "Name and tag for the pushed image (format: \"name:tag\"); repeatable.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--target", paramLabel = "TARGET", description = "Bake target whose image to push (default: the bake's only target).")
  String target;

  private final Invocation invocation;

  PushCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> environment = invocation.environment();
    PushRequest request = validate(environment);
    ProgressMode mode = progressMode(environment);

    ConnectClient client = ConnectClient.fromEnvironment(
        environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI")));
    ImageCopy.Builder copy =
        ImageCopy.builder().credentials(Credentials.fromEnvironment(environment));
    PushStep step = new PushStep(new BuildService(client), new PushService(client), copy,
        new PushProgress(TransferRenderer.create(mode, invocation.err(), environment)));
    step.run(request);
    return CommandLine.ExitCode.OK;
  }

  private PushRequest validate(Map<String, String> environment) {
    String resolvedToken = token != null ? token : environment.getOrDefault("DEPOT_TOKEN", "");
    if (resolvedToken.isBlank()) {
      throw new ParameterException(spec.commandLine(),
          "missing API token, please run `depot login` or set DEPOT_TOKEN");
    }
    if (buildId == null || buildId.isBlank()) {
      // NOTE: the Depot CLI then lets the user pick a project and build interactively; this
      // implementation requires the build ID.
      throw new ParameterException(spec.commandLine(),
          "missing build ID: pass the ID of the build to push as the argument");
    }
    if (tags.isEmpty()) {
      throw new ParameterException(spec.commandLine(),
          "missing tag, please specify a tag with --tag");
    }

    List<ImageName> names = new ArrayList<>();
    for (String tag : tags) {
      try {
        names.add(ImageName.parse(tag));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "invalid --tag: " + e.getMessage(), e,
            null, tag);
      }
    }
    return new PushRequest(buildId, names, Optional.ofNullable(target).filter(value -> !value.isBlank()),
        ApiToken.of(resolvedToken));
  }

  private ProgressMode progressMode(Map<String, String> environment) {
    try {
      return PushProgress.mode(progress, environment, invocation.stdoutIsTerminal());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
