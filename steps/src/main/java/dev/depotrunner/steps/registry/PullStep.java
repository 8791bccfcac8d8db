package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.engine.DockerEngineClient;
import dev.depotrunner.engine.RegistryAuth;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.registry.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Pulls a saved build's image from Depot's registry into the Docker Engine, as {@code depot pull}
 * does: GetPullInfo names the image and its pull credentials, the engine pulls it with them in
 * {@code X-Registry-Auth}, and the image is tagged with the requested names, else with the
 * build's own tags. A bake build's targets are pulled one after another, each under the names
 * {@link BakeTargets} gives it. Every image keeps its Depot registry name too.
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

  /** Pulls the build's image, or its bake targets' images, and returns the names they were tagged with. */
  public List<String> run(PullRequest request)
      throws DepotApiException, RegistryException, IOException, InterruptedException {
    GetPullInfoResponse pullInfo = builds.getPullInfo(
        GetPullInfoRequest.newBuilder().setBuildId(request.buildId()).build(), request.token());
    requireSaved(request.buildId(), pullInfo);
    if (pullInfo.getReference().isEmpty()) {
      throw new RegistryException("the Depot API returned no image reference for build " + request.buildId()
          + ". Check that the build finished and saved its image");
    }
    List<BakeTargets.PullImage> images =
        BakeTargets.pullImages(request.buildId(), pullInfo, request.targets(), request.tags());

    // One image at a time, so that the engine's progress lines of one pull are not mixed with
    // another's. The Depot CLI pulls up to three at once.
    List<String> tagged = new ArrayList<>();
    for (BakeTargets.PullImage image : images) {
      tagged.addAll(pull(request, pullInfo, image));
    }
    return tagged;
  }

  private List<String> pull(PullRequest request, GetPullInfoResponse pullInfo, BakeTargets.PullImage pullImage)
      throws RegistryException, IOException, InterruptedException {
    ImageName image = parseReference(pullImage.reference());
    List<PullTag> names = parseTags(pullImage.tags());

    listener.accept(new PullEvent.Started(request.buildId(), pullImage.target(), image.toString()));
    RegistryAuth auth = new RegistryAuth(
        pullInfo.getUsername(), pullInfo.getPassword(), image.registry(), "", "");
    String repository = image.registry() + "/" + image.repository();
    engine.pullImage(repository, image.qualifier(), request.platform(), auth,
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

  /** Rejects builds whose image was not saved to the registry. */
  private static void requireSaved(String buildId, GetPullInfoResponse pullInfo) throws RegistryException {
    List<BuildOptions> options = pullInfo.getOptionsList();
    boolean saved = pullInfo.getSaveForLoad() || options.stream().anyMatch(BuildOptions::getSave);
    if (!options.isEmpty() && !saved) {
      throw new RegistryException("build " + buildId
          + " is not a saved build. To use the registry use --save when building");
    }
  }

  private static ImageName parseReference(String reference) throws RegistryException {
    try {
      return ImageName.parse(reference);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("the Depot API returned an invalid image reference: " + e.getMessage(), e);
    }
  }

  /** Parses the tags. The user's tags were checked already, so an invalid one comes from the build. */
  private static List<PullTag> parseTags(List<String> tags) throws RegistryException {
    try {
      return tags.stream().map(PullTag::parse).toList();
    } catch (IllegalArgumentException e) {
      throw new RegistryException("cannot tag the pulled image: " + e.getMessage(), e);
    }
  }
}
