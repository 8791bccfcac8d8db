package dev.depotrunner.oidc;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds the Depot API token for a build, so that a CI job needs no stored secret when its CI
 * issues an OIDC identity.
 *
 * <p>The order follows the Depot CLI: {@code --token}, DEPOT_TOKEN, the token saved by {@code depot
 * login} (DEPOT_API_TOKEN overrides it), the OIDC identity of GitHub Actions, GitLab CI, CircleCI,
 * Buildkite or Jenkins, then DEPOT_JIT_TOKEN and DEPOT_CACHE_TOKEN. Setting DEPOT_DEBUG_OIDC sends
 * one line per OIDC provider tried to the request's log.
 */
public final class DepotCredentials {

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private DepotCredentials() {}

  /**
   * Finds the Depot token in the Depot CLI's order; empty when there is none.
   *
   * @throws IdentityException when a credential exists but is unusable (an unreadable {@code depot
   *     login} config, an expired token or one for another audience, a failed token request or
   *     exchange), or when no credential exists and the job runs on GitHub Actions without an OIDC
   *     identity, where the message names the workflow permission or the fork that prevents it
   */
  public static Optional<DepotToken> resolve(CredentialRequest request) throws IdentityException {
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    CredentialResolver resolver = standardResolver(client, REQUEST_TIMEOUT, Clock.systemUTC(),
        System.getProperty("os.name", ""));
    return resolver.resolve(request);
  }

  /** Builds the resolver with the Depot CLI's providers in its order, plus Jenkins. */
  static CredentialResolver standardResolver(HttpClient client, Duration timeout, Clock clock,
      String osName) {
    TokenInspector inspector = new TokenInspector(clock);
    HttpCalls http = new HttpCalls(client, timeout);
    List<IdentityProvider> providers = List.of(
        new GitHubActionsProvider(http, inspector),
        VariableTokenProvider.gitLab(inspector),
        VariableTokenProvider.circleCi(inspector),
        new BuildkiteProvider(timeout, inspector),
        VariableTokenProvider.jenkins(inspector));
    return new CredentialResolver(providers, osName);
  }
}
