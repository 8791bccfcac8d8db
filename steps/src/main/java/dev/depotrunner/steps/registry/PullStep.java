package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.engine.DockerEngineClient;
import dev.depotrunner.engine.RegistryAuth;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.registry.RegistryException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pulls a saved build's image from Depot's registry into the Docker Engine, as {@code depot pull}
 * does: GetPullInfo names the image and its pull credentials, the engine pulls it with them in
 * {@code X-Registry-Auth}, and the image is tagged with the requested names, else with the
 * build's own tags. The image keeps its Depot registry name too.
 */
public final class PullStep {

  private final BuildService builds;
  private final DockerEngineClient engine;
  private final Consumer<PullEvent> listener;

  public PullStep(BuildService builds, DockerEngineClient engine, Consumer<PullEvent> listener) {
    this.builds = Objects.requireNonNull(builds);
    this.engine = Objects.requireNonNull(engine);
    this.listener = Objects.requireNonNull(listener);
  }

  /**
   * Pulls build {@code buildId} and returns the names it was tagged with.
   *
   * @param tags names such as {@code app:v1}; empty means the build's own tags
   * @param platform such as {@code linux/arm64}
   */
  public List<String> run(String buildId, List<PullTag> tags, Optional<String> platform, ApiToken token)
      throws DepotApiException, RegistryException, IOException, InterruptedException {
    GetPullInfoResponse pullInfo =
        builds.getPullInfo(GetPullInfoRequest.newBuilder().setBuildId(buildId).build(), token);
    requirePullable(buildId, pullInfo);
    ImageName image = PushStep.sourceImage(pullInfo, Optional.empty());
    List<PullTag> names = tags.isEmpty() ? buildTags(pullInfo) : tags;

    listener.accept(new PullEvent.Started(buildId, image.toString()));
    RegistryAuth auth = new RegistryAuth(
        pullInfo.getUsername(), pullInfo.getPassword(), image.registry(), "", "");
    String repository = image.registry() + "/" + image.repository();
    engine.pullImage(repository, image.qualifier(), platform, auth,
        message -> listener.accept(new PullEvent.Engine(message)));

    // A digest reference is stored under the repository name alone, so tag from the full reference.
    String source = image.digest().isPresent() ? repository + "@" + image.qualifier() : repository + ":" + image.qualifier();
    for (PullTag name : names) {
      engine.tagImage(source, name.repository(), name.tag());
      listener.accept(new PullEvent.Tagged(name.toString()));
    }
    List<String> tagged = names.stream().map(PullTag::toString).toList();
    listener.accept(new PullEvent.Finished(image.toString(), tagged));
    return tagged;
  }

  /** Rejects builds whose image was not saved to the registry, and bake builds. */
  private static void requirePullable(String buildId, GetPullInfoResponse pullInfo) throws RegistryException {
    List<BuildOptions> options = pullInfo.getOptionsList();
    boolean saved = pullInfo.getSaveForLoad() || options.stream().anyMatch(BuildOptions::getSave);
    if (!options.isEmpty() && !saved) {
      throw new RegistryException("build " + buildId
          + " is not a saved build. To use the registry use --save when building");
    }
    if (options.stream().anyMatch(option -> option.getCommand() == Command.COMMAND_BAKE)) {
      // NOTE: the Depot CLI pulls one image per bake target (--target); this implementation
      // pulls single builds only.
      throw new RegistryException("build " + buildId
          + " is a bake build, which depot pull does not support yet; use `depot push --target`");
    }
  }

  /** The tags of the build's first options, as the Depot CLI uses when no --tag is given. */
  private static List<PullTag> buildTags(GetPullInfoResponse pullInfo) throws RegistryException {
    if (pullInfo.getOptionsCount() == 0) {
      return List.of();
    }
    try {
      return pullInfo.getOptions(0).getTagsList().stream().map(PullTag::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new RegistryException("the Depot API returned an invalid build tag: " + e.getMessage(), e);
    }
  }
}
