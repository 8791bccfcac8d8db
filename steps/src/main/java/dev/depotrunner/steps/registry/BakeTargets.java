package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Selects the images of a bake build's targets from GetPullInfo, named as the Depot CLI names
 * them. A bake build has one {@code options} entry per target, and target {@code t}'s image is the
 * build's reference with {@code -t} appended, such as {@code registry.depot.dev/p:build-web}.
 */
final class BakeTargets {

  /** One image to pull: its reference in Depot's registry and the names to tag it with. */
  record PullImage(Optional<String> target, String reference, List<String> tags) {}

  private BakeTargets() {}

  static boolean isBake(GetPullInfoResponse pullInfo) {
    return pullInfo.getOptionsList().stream().anyMatch(option -> option.getCommand() == Command.COMMAND_BAKE);
  }

  /** Returns the target names, in the order of the build's options. */
  static List<String> names(GetPullInfoResponse pullInfo) {
    return pullInfo.getOptionsList().stream().map(BuildOptions::getTargetName).toList();
  }

  /**
   * Returns the images {@code depot pull} pulls. A bake build gives one image per selected target,
   * or per target when {@code targets} is empty. User tags replace the targets' own tags, and when
   * several targets are pulled each user tag gets {@code -<target>} appended, so that
   * {@code -t app:v1} names {@code app:v1-web} and {@code app:v1-api}. Any other build gives its
   * reference, tagged with the user tags, else with the tags of its first options.
   *
   * @throws RegistryException if a requested target is not one of the bake's targets
   */
  static List<PullImage> pullImages(
      String buildId, GetPullInfoResponse pullInfo, List<String> targets, List<String> userTags)
      throws RegistryException {
    if (!isBake(pullInfo)) {
      List<String> tags = userTags;
      if (tags.isEmpty() && pullInfo.getOptionsCount() > 0) {
        tags = pullInfo.getOptions(0).getTagsList();
      }
      return List.of(new PullImage(Optional.empty(), pullInfo.getReference(), List.copyOf(tags)));
    }

    requireKnown(buildId, pullInfo, targets);
    List<BuildOptions> selected = pullInfo.getOptionsList().stream()
        .filter(option -> targets.isEmpty() || targets.contains(option.getTargetName()))
        .toList();
    boolean several = selected.size() > 1;

    List<PullImage> images = new ArrayList<>();
    for (BuildOptions option : selected) {
      String target = option.getTargetName();
      List<String> tags = option.getTagsList();
      if (!userTags.isEmpty()) {
        tags = several ? userTags.stream().map(tag -> tag + "-" + target).toList() : userTags;
      }
      images.add(new PullImage(Optional.of(target), imageOf(pullInfo, target), List.copyOf(tags)));
    }
    return images;
  }

  /**
   * Returns the target whose image {@code depot push} copies: the requested one, or for a bake
   * build with a single target, that target.
   *
   * @throws RegistryException if the bake has several targets and none was requested, or the
   *     requested one is not among them
   */
  static Optional<String> pushTarget(String buildId, GetPullInfoResponse pullInfo, Optional<String> target)
      throws RegistryException {
    if (!isBake(pullInfo)) {
      // The Depot CLI appends a requested target to any build's reference, and so does this.
      return target;
    }
    List<String> names = names(pullInfo);
    if (target.isPresent()) {
      requireKnown(buildId, pullInfo, List.of(target.get()));
      return target;
    }
    if (names.size() == 1) {
      return Optional.of(names.get(0));
    }
    throw new RegistryException("build " + buildId + " has several bake targets ("
        + String.join(", ", names) + "), so choose the one to push with --target");
  }

  /** Returns target {@code target}'s image in Depot's registry. */
  static String imageOf(GetPullInfoResponse pullInfo, String target) {
    return pullInfo.getReference() + "-" + target;
  }

  private static void requireKnown(String buildId, GetPullInfoResponse pullInfo, List<String> targets)
      throws RegistryException {
    List<String> names = names(pullInfo);
    for (String target : targets) {
      if (!names.contains(target)) {
        throw new RegistryException("target " + target + " not found in build " + buildId
            + ", whose targets are " + String.join(", ", names));
      }
    }
  }
}
