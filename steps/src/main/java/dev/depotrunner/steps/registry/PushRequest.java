package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.registry.ImageName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code depot push}: the build, the tags to push it to, and the bake target whose
 * image to push, if the build was a bake.
 */
public record PushRequest(String buildId, List<ImageName> tags, Optional<String> target, ApiToken token) {

  public PushRequest {
    if (buildId == null || buildId.isBlank()) {
      throw new IllegalArgumentException("missing build ID");
    }
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("missing tag, please specify a tag with --tag");
    }
    tags = List.copyOf(tags);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(token, "token");
  }
}
