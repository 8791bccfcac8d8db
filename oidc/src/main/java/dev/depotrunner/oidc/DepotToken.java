package dev.depotrunner.oidc;

import java.util.Objects;
import java.util.Optional;

/**
 * A Depot API token and where it came from.
 *
 * @param value the bearer token for the Depot API
 * @param source where the token was found: "flag", "DEPOT_TOKEN", "DEPOT_API_TOKEN", "depot login",
 *     "GitHub Actions OIDC", "GitLab CI OIDC", "CircleCI OIDC", "Buildkite OIDC", "Jenkins OIDC",
 *     "DEPOT_JIT_TOKEN" or "DEPOT_CACHE_TOKEN"
 * @param identity the CI identity behind the token, for tokens that came from an OIDC token
 */
public record DepotToken(String value, String source, Optional<IdentitySummary> identity) {

  public DepotToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(identity, "identity");
  }

  /** Shows the source and identity but never the value. */
  @Override
  public String toString() {
    String described = identity.map(summary -> ", " + summary.describe()).orElse("");
    return "DepotToken[source=" + source + described + "]";
  }
}
