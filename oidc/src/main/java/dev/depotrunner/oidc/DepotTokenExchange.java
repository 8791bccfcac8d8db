package dev.depotrunner.oidc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Exchanges a GitHub Actions OIDC token for a short-lived Depot token: POST {@code {"token": ...}}
 * to {@code /auth/oidc/github-actions}, which returns {@code {"ok": true, "token": ...}}. This is
 * the exchange that depot/build-push-action performs (src/depot.ts); Depot grants it when a trust
 * relationship in the Depot project matches the token's repository.
 */
final class DepotTokenExchange {

  static final String PATH = "/auth/oidc/github-actions";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpCalls http;

  DepotTokenExchange(HttpCalls http) {
    this.http = http;
  }

  /** Returns the Depot token for the OIDC token, whose identity is given for messages. */
  String exchange(URI baseUrl, String oidcToken, IdentitySummary identity)
      throws IdentityException {
    URI endpoint = URI.create(baseUrl.toString().replaceAll("/+$", "") + PATH);
    String operation = "the Depot OIDC token exchange at " + endpoint;
    String trustFix = "add a GitHub Actions trust relationship for " + repositoryOf(identity)
        + " in the Depot project settings";

    HttpRequest request = http.request(endpoint)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(requestBody(oidcToken)))
        .build();
    HttpResponse<String> response = http.send(request, operation);

    if (response.statusCode() / 100 != 2) {
      throw new IdentityException(operation + " failed with HTTP " + response.statusCode() + " ("
          + HttpCalls.quote(response.body(), oidcToken) + "); " + trustFix);
    }

    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (JacksonException e) {
      // The body of a successful exchange may contain the Depot token, so neither it nor the
      // parser's message (which quotes it) goes into the error.
      throw new IdentityException(operation + " returned invalid JSON (HTTP "
          + response.statusCode() + "); check that DEPOT_API_URL points at the Depot API");
    }

    if (answer == null || !answer.path("ok").asBoolean(false)) {
      String reason = answer == null ? "" : answer.path("error").asText("");
      String detail = reason.isEmpty() ? "" : " (" + HttpCalls.quote(reason, oidcToken) + ")";
      throw new IdentityException(operation + " declined the GitHub Actions OIDC token" + detail
          + "; " + trustFix);
    }

    String token = answer.path("token").asText("");
    if (token.isEmpty()) {
      throw new IdentityException(operation + " returned ok but no token; check that DEPOT_API_URL"
          + " points at the Depot API");
    }
    return token;
  }

  private static String requestBody(String oidcToken) throws IdentityException {
    try {
      return JSON.writeValueAsString(Map.of("token", oidcToken));
    } catch (JacksonException e) {
      throw new IdentityException("failed to encode the OIDC token exchange request", e);
    }
  }

  private static String repositoryOf(IdentitySummary identity) {
    return identity.repository().isEmpty() ? "this repository" : identity.repository();
  }
}
