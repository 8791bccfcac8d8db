package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.PushService;
import dev.depotrunner.depotapi.proto.cli.v1.FinishPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushRequest;
import dev.depotrunner.registry.CopyResult;
import dev.depotrunner.registry.ImageCopy;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.registry.RegistryCredential;
import dev.depotrunner.registry.RegistryException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pushes a finished build from Depot's registry to the request's tags, as {@code depot push}
 * does: GetPullInfo names the build's image and its pull credentials, and each tag gets a byte
 * for byte copy, recorded with StartPush and FinishPush. Of a bake build, the image of the
 * requested target is pushed, or of its only target.
 */
public final class PushStep {

  private static final System.Logger LOG = System.getLogger(PushStep.class.getName());

  private final BuildService builds;
  private final PushService pushes;
  private final ImageCopy.Builder copy;
  private final Consumer<PushEvent> listener;

  /**
   * @param copy the copy options (credentials of the target registries, HTTP client); the
   *     listener is set here
   */
  public PushStep(
      BuildService builds,
      PushService pushes,
      ImageCopy.Builder copy,
      Consumer<PushEvent> listener) {
    this.builds = Objects.requireNonNull(builds);
    this.pushes = Objects.requireNonNull(pushes);
    this.copy = Objects.requireNonNull(copy);
    this.listener = Objects.requireNonNull(listener);
  }

  /** Pushes the build to every tag, in order, and returns one result per tag. */
  public List<CopyResult> run(PushRequest request)
      throws DepotApiException, RegistryException, InterruptedException {
    GetPullInfoResponse pullInfo = builds.getPullInfo(
        GetPullInfoRequest.newBuilder().setBuildId(request.buildId()).build(), request.token());
    Optional<String> target = BakeTargets.pushTarget(request.buildId(), pullInfo, request.target());
    ImageName source = sourceImage(pullInfo, target);
    Optional<RegistryCredential> credential = pullInfo.getUsername().isEmpty()
        ? Optional.empty()
        : Optional.of(new RegistryCredential(pullInfo.getUsername(), pullInfo.getPassword()));
    ImageCopy imageCopy = copy.listener(event -> listener.accept(new PushEvent.Copy(event))).build();

    List<CopyResult> results = new ArrayList<>();
    for (ImageName tag : request.tags()) {
      results.add(pushTag(request, target, source, credential, imageCopy, tag));
    }
    return results;
  }

  private CopyResult pushTag(PushRequest request, Optional<String> target, ImageName source,
      Optional<RegistryCredential> credential, ImageCopy imageCopy, ImageName tag)
      throws DepotApiException, RegistryException, InterruptedException {
    String pushId = pushes.startPush(StartPushRequest.newBuilder()
        .setBuildId(request.buildId())
        .setTag(tag.toString())
        .build(), request.token()).getPushId();
    listener.accept(new PushEvent.Started(request.buildId(), target, tag));

    CopyResult result;
    try {
      result = imageCopy.copy(source, credential, List.of(tag));
    } catch (RegistryException | RuntimeException e) {
      finishPush(request, pushId, Optional.of(e.getMessage()));
      throw e;
    }

    finishPush(request, pushId, Optional.empty());
    listener.accept(new PushEvent.Finished(
        tag, result.digest(), result.blobsUploaded(), result.bytesUploaded()));
    return result;
  }

  /** Records the outcome. A failure to record is logged, because the push itself is done. */
  private void finishPush(PushRequest request, String pushId, Optional<String> error)
      throws InterruptedException {
    FinishPushRequest.Builder finish =
        FinishPushRequest.newBuilder().setPushId(pushId).setBuildId(request.buildId());
    error.ifPresent(finish::setError);
    try {
      pushes.finishPush(finish.build(), request.token());
    } catch (DepotApiException e) {
      LOG.log(Level.WARNING, "failed to record the end of push {0} of build {1}: {2}",
          pushId, request.buildId(), e.getMessage());
    }
  }

  /** The build's image in Depot's registry; a bake target's image has "-<target>" appended. */
  static ImageName sourceImage(GetPullInfoResponse pullInfo, Optional<String> target)
      throws RegistryException {
    String reference = pullInfo.getReference();
    if (reference.isEmpty()) {
      throw new RegistryException("the Depot API returned no image reference for this build;"
          + " check that the build finished and saved its image");
    }
    if (target.isPresent()) {
      reference = BakeTargets.imageOf(pullInfo, target.get());
    }
    try {
      return ImageName.parse(reference);
    } catch (IllegalArgumentException e) {
      throw new RegistryException("the Depot API returned an invalid image reference: "
          + e.getMessage(), e);
    }
  }
}
