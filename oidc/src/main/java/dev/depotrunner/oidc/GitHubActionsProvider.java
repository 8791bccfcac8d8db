package dev.depotrunner.oidc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Requests the job's OIDC token from GitHub Actions and exchanges it for a Depot token. GitHub
 * issues the token only to workflows with {@code permissions: id-token: write}, and not to
 * {@code pull_request} runs from forks. Both cases are reported instead of silently skipped.
 */
final class GitHubActionsProvider implements IdentityProvider {

  static final String NAME = "GitHub Actions";

  /** The host that serves the exchange for depot/build-push-action when DEPOT_API_URL is unset. */
  static final String DEFAULT_EXCHANGE_URL = "https://github.depot.dev";

  private static final String REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
  private static final String REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpCalls http;
  private final DepotTokenExchange exchange;
  private final TokenInspector inspector;

  GitHubActionsProvider(HttpCalls http, TokenInspector inspector) {
    this.http = http;
    this.exchange = new DepotTokenExchange(http);
    this.inspector = inspector;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Attempt attempt(Environment environment, Consumer<String> secrets)
      throws IdentityException {
    Optional<String> requestUrl = environment.get(REQUEST_URL);
    Optional<String> requestToken = environment.get(REQUEST_TOKEN);
    if (requestUrl.isEmpty() || requestToken.isEmpty()) {
      return withoutIdentity(environment, requestUrl.isEmpty() ? REQUEST_URL : REQUEST_TOKEN);
    }

    URI baseUrl = exchangeBaseUrl(environment);
    String oidcToken = requestIdToken(requestUrl.get(), requestToken.get());
    secrets.accept(oidcToken);
    IdentitySummary identity = inspector.inspect(oidcToken, "the GitHub Actions ID token request",
        "GitHub ignored the audience parameter; check ACTIONS_ID_TOKEN_REQUEST_URL",
        TokenInspector.firstClaim("repository"));
    String depotToken = exchange.exchange(baseUrl, oidcToken, identity);

    return Attempt.found(new DepotToken(depotToken, NAME + " OIDC", Optional.of(identity)),
        "exchanged the job's ID token at " + baseUrl + " for a Depot token, "
            + identity.describe());
  }

  /** Explains why a GitHub job has no ID token, or skips when this is not GitHub Actions. */
  private static Attempt withoutIdentity(Environment environment, String missingVariable) {
    if (!environment.get("GITHUB_ACTIONS").orElse("").equals("true")) {
      return Attempt.skipped("GITHUB_ACTIONS is not true");
    }

    // NOTE: the Depot CLI authenticates fork pull requests to public repositories through Depot's
    // actions-public-oidc claim service. That flow is not implemented here.
    Optional<GitHubEvent.ForkPullRequest> fork = GitHubEvent.forkPullRequest(environment);
    if (fork.isPresent()) {
      String pullRequest = "pull request from fork " + fork.get().head() + " into "
          + fork.get().base();
      return Attempt.missing(missingVariable + " is not set for a " + pullRequest,
          "no Depot credential: this job runs for a " + pullRequest + ", and forks get no"
              + " identity from GitHub Actions; skip the Depot build for fork pull requests");
    }

    return Attempt.missing(missingVariable + " is not set",
        "no Depot credential: GitHub Actions issued no OIDC token to this job (" + missingVariable
            + " is not set); add permissions: id-token: write to the workflow or job, or set"
            + " DEPOT_TOKEN");
  }

  private String requestIdToken(String requestUrl, String requestToken) throws IdentityException {
    URI uri = withAudience(requestUrl);
    String operation = "the GitHub Actions ID token request to " + uri.getHost();

    HttpRequest request = http.request(uri)
        .header("Authorization", "Bearer " + requestToken)
        .header("Accept", "application/json")
        .GET()
        .build();
    HttpResponse<String> response = http.send(request, operation);

    if (response.statusCode() != 200) {
      throw new IdentityException(operation + " failed with HTTP " + response.statusCode() + " ("
          + HttpCalls.quote(response.body(), requestToken) + "); check that the workflow has"
          + " permissions: id-token: write");
    }

    String value;
    try {
      value = JSON.readTree(response.body()).path("value").asText("");
    } catch (JacksonException e) {
      // A successful response contains the ID token, which the parser's message would quote.
      throw new IdentityException(operation + " returned invalid JSON; check "
          + REQUEST_URL);
    }
    if (value.isEmpty()) {
      throw new IdentityException(operation + " returned no token in its value field; check "
          + REQUEST_URL);
    }
    return value;
  }

  /** Sets the audience query parameter, replacing one the URL may already carry. */
  static URI withAudience(String requestUrl) throws IdentityException {
    String withoutFragment = requestUrl.split("#", 2)[0];
    String[] parts = withoutFragment.split("\\?", 2);

    List<String> parameters = new ArrayList<>();
    if (parts.length == 2) {
      for (String parameter : parts[1].split("&")) {
        if (!parameter.isEmpty() && !parameter.equals("audience")
            && !parameter.startsWith("audience=")) {
          parameters.add(parameter);
        }
      }
    }
    parameters.add("audience="
        + URLEncoder.encode(TokenInspector.DEPOT_AUDIENCE, StandardCharsets.UTF_8));

    try {
      URI uri = new URI(parts[0] + "?" + String.join("&", parameters));
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IdentityException("invalid " + REQUEST_URL + " \"" + requestUrl
            + "\": not an absolute URL; GitHub Actions sets it, so do not override it");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IdentityException("invalid " + REQUEST_URL + " \"" + requestUrl + "\": "
          + e.getReason() + "; GitHub Actions sets it, so do not override it", e);
    }
  }

  private static URI exchangeBaseUrl(Environment environment) throws IdentityException {
    String value = environment.get("DEPOT_API_URL").orElse(DEFAULT_EXCHANGE_URL);
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
        throw new IdentityException("invalid DEPOT_API_URL \"" + value
            + "\": expected an http or https URL such as https://api.depot.dev");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IdentityException("invalid DEPOT_API_URL \"" + value + "\": " + e.getReason()
          + "; expected an http or https URL such as https://api.depot.dev", e);
    }
  }
}
