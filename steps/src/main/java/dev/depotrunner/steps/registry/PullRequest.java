package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.ApiToken;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code depot pull}.
 *
 * @param tags names such as {@code app:v1}, each valid for {@link PullTag#parse}, or empty for the
 *     build's own tags
 * @param targets the bake targets to pull, or empty for every target
 * @param platform such as {@code linux/arm64}
 */
public record PullRequest(
    String buildId, List<String> tags, List<String> targets, Optional<String> platform, ApiToken token) {

  public PullRequest {
    if (buildId == null || buildId.isBlank()) {
      throw new IllegalArgumentException("missing build ID");
    }
    tags = List.copyOf(tags);
    targets = List.copyOf(targets);
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(token, "token");
  }
}
