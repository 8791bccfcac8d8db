package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenResponse;
import dev.depotrunner.engine.DockerEngineClient;
import dev.depotrunner.engine.RegistryAuth;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.registry.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pulls a saved build's image from Depot's registry into the Docker Engine, as {@code depot pull}
 * does: GetPullInfo names the image and its pull credentials, the engine pulls it with them in
 * {@code X-Registry-Auth}, and the image is tagged with the requested names, else with the
 * build's own tags. A bake build's targets are pulled one after another, each under the names
 * {@link BakeTargets} gives it. Every image keeps its Depot registry name too.
 */
public final class PullStep {

  /** The user name that Depot's registry takes with a pull token. */
  private static final String SAVED_TAG_USER = "x-token";

  private final BuildService builds;
  private final DockerEngineClient engine;
  private final Consumer<PullEvent> listener;

  public PullStep(BuildService builds, DockerEngineClient engine, Consumer<PullEvent> listener) {
    this.builds = Objects.requireNonNull(builds);
    this.engine = Objects.requireNonNull(engine);
    this.listener = Objects.requireNonNull(listener);
  }

  /**
   * Pulls the build's image, or its bake targets' images, and returns the names they were tagged with.
   * An argument naming a saved tag instead of a build, {@code PROJECT:TAG} or
   * {@code REGISTRY/PROJECT:TAG} with {@code registryHost} as REGISTRY, pulls that tag with a pull token
   * of the project, as the Depot CLI does.
   *
   * @param registryHost the host of Depot's registry, {@code registry.depot.dev} unless overridden
   */
  public List<String> run(PullRequest request, String registryHost)
      throws DepotApiException, RegistryException, IOException, InterruptedException {
    Optional<SavedTag> savedTag = SavedTag.parse(request.buildId(), registryHost);
    if (savedTag.isPresent()) {
      return pullSavedTag(request, savedTag.get());
    }
    return run(request);
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

  /** A saved tag in a project's repository of Depot's registry, such as {@code abc123:v1}. */
  record SavedTag(String registryHost, String projectId, String tag) {

    /**
     * Returns the saved tag that {@code argument} names, or empty for a build id: {@code PROJECT:TAG},
     * or {@code REGISTRY/PROJECT:TAG} with {@code registryHost} as REGISTRY.
     */
    static Optional<SavedTag> parse(String argument, String registryHost) {
      String rest = argument.startsWith(registryHost + "/") ? argument.substring(registryHost.length() + 1) : argument;
      int colon = rest.indexOf(':');
      if (colon <= 0 || colon == rest.length() - 1 || rest.indexOf('/') >= 0) {
        return Optional.empty();
      }
      return Optional.of(new SavedTag(registryHost, rest.substring(0, colon), rest.substring(colon + 1)));
    }

    String reference() {
      return registryHost + "/" + projectId + ":" + tag;
    }
  }

  private List<String> pullSavedTag(PullRequest request, SavedTag savedTag)
      throws DepotApiException, RegistryException, IOException, InterruptedException {
    GetPullTokenResponse pullToken = builds.getPullToken(
        GetPullTokenRequest.newBuilder().setProjectId(savedTag.projectId()).build(), request.token());
    GetPullInfoResponse pullInfo = GetPullInfoResponse.newBuilder()
        .setReference(savedTag.reference())
        .setUsername(SAVED_TAG_USER)
        .setPassword(pullToken.getToken())
        .build();
    return pull(request, pullInfo, new BakeTargets.PullImage(Optional.empty(), savedTag.reference(), request.tags()));
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
