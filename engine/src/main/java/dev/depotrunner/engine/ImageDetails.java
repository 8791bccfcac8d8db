package dev.depotrunner.engine;

import java.util.List;

/**
 * What {@code GET /images/{name}/json} returns about an image, as far as the build steps use it.
 *
 * @param id the image id, such as {@code sha256:...}
 * @param repoTags the names the image is tagged with, such as {@code app:latest}
 * @param repoDigests the pushed or pulled names by digest, such as {@code registry/app@sha256:...}
 */
public record ImageDetails(String id, List<String> repoTags, List<String> repoDigests) {
  public ImageDetails {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
  }
}
