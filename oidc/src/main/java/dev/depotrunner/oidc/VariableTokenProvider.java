package dev.depotrunner.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A CI system that hands the job its OIDC token in an environment variable. Depot accepts these
 * tokens as bearer tokens directly, as the Depot CLI sends them, so there is no exchange.
 */
final class VariableTokenProvider implements IdentityProvider {

  private final String name;
  private final String presenceVariable;
  private final String tokenVariable;
  private final String setupHint;
  private final String audienceFix;
  private final Function<JWTClaimsSet, String> repository;
  private final TokenInspector inspector;

  /**
   * @param presenceVariable set in every job of this CI; null when the token variable alone decides
   * @param setupHint how to make the CI set the token variable, for the debug line
   * @param audienceFix how to request the Depot audience; null when the token's audience is not
   *     configurable and must not be checked
   */
  VariableTokenProvider(String name, String presenceVariable, String tokenVariable,
      String setupHint, String audienceFix, Function<JWTClaimsSet, String> repository,
      TokenInspector inspector) {
    this.name = name;
    this.presenceVariable = presenceVariable;
    this.tokenVariable = tokenVariable;
    this.setupHint = setupHint;
    this.audienceFix = audienceFix;
    this.repository = repository;
    this.inspector = inspector;
  }

  static VariableTokenProvider gitLab(TokenInspector inspector) {
    return new VariableTokenProvider("GitLab CI", "GITLAB_CI", "DEPOT_OIDC_TOKEN",
        "declare id_tokens: DEPOT_OIDC_TOKEN: aud: https://depot.dev in the job",
        "set aud: https://depot.dev on the job's id_tokens entry for DEPOT_OIDC_TOKEN",
        TokenInspector.firstClaim("project_path"), inspector);
  }

  /**
   * CircleCI sets CIRCLE_OIDC_TOKEN_V2 whenever it issues an identity, so the variable alone
   * decides, as in the Depot CLI. CircleCI sets that token's audience to the CircleCI organization
   * ID, not to https://depot.dev, so the audience is not checked.
   */
  static VariableTokenProvider circleCi(TokenInspector inspector) {
    return new VariableTokenProvider("CircleCI", null, "CIRCLE_OIDC_TOKEN_V2",
        "CircleCI issued no OIDC token to this job",
        null,
        TokenInspector.firstClaim("oidc.circleci.com/vcs-origin", "oidc.circleci.com/project-id"),
        inspector);
  }

  /**
   * Jenkins has no built-in identity, so a withCredentials block binds an OIDC token credential.
   * Its claims depend on the credential's configuration, so no claim is read as the repository.
   */
  static VariableTokenProvider jenkins(TokenInspector inspector) {
    return new VariableTokenProvider("Jenkins", "JENKINS_URL", "DEPOT_OIDC_TOKEN",
        "bind an OIDC ID token credential with audience https://depot.dev to DEPOT_OIDC_TOKEN"
            + " with withCredentials",
        "set the ID token credential's audience to https://depot.dev",
        claims -> "", inspector);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Attempt attempt(Environment environment, Consumer<String> secrets)
      throws IdentityException {
    if (presenceVariable != null && !environment.isSet(presenceVariable)) {
      return Attempt.skipped(presenceVariable + " is not set");
    }

    Optional<String> token = environment.get(tokenVariable);
    if (token.isEmpty()) {
      return Attempt.skipped(tokenVariable + " is not set; " + setupHint);
    }

    IdentitySummary identity =
        inspector.inspect(token.get(), tokenVariable, audienceFix, repository);
    DepotToken depotToken = new DepotToken(token.get(), name + " OIDC", Optional.of(identity));
    return Attempt.found(depotToken, "using " + tokenVariable + ", " + identity.describe());
  }
}
