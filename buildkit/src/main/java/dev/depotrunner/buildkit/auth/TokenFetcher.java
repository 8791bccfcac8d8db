package dev.depotrunner.buildkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Fetches registry bearer tokens from a token endpoint, as the Docker registry token
 * specification and containerd's {@code remotes/docker/auth} client describe it.
 *
 * <p>With a secret it first uses the OAuth2 form POST ({@code grant_type=password}, or
 * {@code refresh_token} for an identity token), and falls back to a GET with basic
 * authentication when the endpoint rejects the POST. Without one it sends an anonymous GET.
 * Tokens are cached until 90% of their lifetime has passed, the margin BuildKit applies too.
 */
final class TokenFetcher {

  /** The OAuth2 client id BuildKit sends. */
  static final String CLIENT_ID = "buildkit-client";

  /** The lifetime BuildKit assumes for a token that comes without {@code expires_in}. */
  static final long DEFAULT_EXPIRES_IN_SECONDS = 60;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_RESPONSE_BYTES = 1 << 20;
  private static final int MAX_REDIRECTS = 10;
  private static final int MAX_CACHED_TOKENS = 256;
  private static final String USER_AGENT = "depot-runner";

  private final Supplier<HttpClient> http;
  private final Clock clock;
  private final Map<CacheKey, CachedToken> cache = new LinkedHashMap<>();

  /** @param http called on the first request only, so a build that fetches no token never creates a client */
  TokenFetcher(Supplier<HttpClient> http, Clock clock) {
    this.http = http;
    this.clock = clock;
  }

  /**
   * Returns a token for the request, from the cache while it is fresh. A cached token is returned
   * with its remaining lifetime and no issue time, so the builder's clock does not matter.
   */
  Token fetch(TokenRequest request, RegistryCredentials credentials) throws TokenFetchException {
    var key = new CacheKey(request, credentialDigest(credentials));
    Instant now = clock.instant();
    synchronized (cache) {
      CachedToken cached = cache.get(key);
      if (cached != null && now.isBefore(cached.refreshAt())) {
        long remaining = Math.max(1, Duration.between(now, cached.expiresAt()).toSeconds());
        return new Token(cached.token().value(), remaining, 0);
      }
    }

    Token token = fetchFromEndpoint(request, credentials);

    Instant issuedAt = token.issuedAt() == 0 ? now : Instant.ofEpochSecond(token.issuedAt());
    Duration lifetime = Duration.ofSeconds(token.expiresIn());
    var entry =
        new CachedToken(
            token,
            issuedAt.plus(lifetime.multipliedBy(9).dividedBy(10)),
            issuedAt.plus(lifetime));
    synchronized (cache) {
      cache.values().removeIf(cachedToken -> !now.isBefore(cachedToken.refreshAt()));
      if (cache.size() >= MAX_CACHED_TOKENS) {
        cache.remove(cache.keySet().iterator().next());
      }
      cache.put(key, entry);
    }
    return token;
  }

  private Token fetchFromEndpoint(TokenRequest request, RegistryCredentials credentials)
      throws TokenFetchException {
    URI realm = parseRealm(request.realm());
    String username = credentials.sessionUsername();
    String secret = credentials.sessionSecret();

    if (secret.isEmpty()) {
      return fetchWithGet(realm, request, "", "");
    }
    try {
      return fetchWithOAuth(realm, request, username, secret);
    } catch (TokenFetchException e) {
      // Registries without the POST endpoint respond with 404 (GCR), 401 (Artifactory), 400
      // (ACR) or 405. The Depot CLI falls back to GET on any status, and so does this client.
      if (e.statusCode() == 0) {
        throw e;
      }
      return fetchWithGet(realm, request, username, secret);
    }
  }

  private Token fetchWithOAuth(URI realm, TokenRequest request, String username, String secret)
      throws TokenFetchException {
    Map<String, String> form = new LinkedHashMap<>();
    if (!request.scopes().isEmpty()) {
      form.put("scope", String.join(" ", request.scopes()));
    }
    form.put("service", request.service());
    form.put("client_id", CLIENT_ID);
    if (username.isEmpty()) {
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", secret);
    } else {
      form.put("grant_type", "password");
      form.put("username", username);
      form.put("password", secret);
    }

    byte[] body = encodeForm(form).getBytes(StandardCharsets.UTF_8);
    JsonNode response = send("POST", realm, null, body, "failed to fetch oauth token");

    String accessToken = JsonFields.text(response, "access_token");
    if (accessToken.isEmpty()) {
      throw new TokenFetchException(
          "token endpoint " + displayUri(realm) + " did not include a token in the response", 0);
    }
    return toToken(accessToken, response, realm);
  }

  private Token fetchWithGet(URI realm, TokenRequest request, String username, String secret)
      throws TokenFetchException {
    List<String> parameters = new ArrayList<>();
    if (!request.service().isEmpty()) {
      parameters.add("service=" + encode(request.service()));
    }
    for (String scope : request.scopes()) {
      parameters.add("scope=" + encode(scope));
    }
    URI uri = withQuery(realm, String.join("&", parameters));

    String authorization = null;
    if (!secret.isEmpty()) {
      String pair = username + ":" + secret;
      authorization =
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    String failure = secret.isEmpty() ? "failed to fetch anonymous token" : "failed to fetch token";
    JsonNode response = send("GET", uri, authorization, null, failure);

    // access_token and token mean the same; containerd prefers access_token when both are set.
    String token = JsonFields.text(response, "access_token");
    if (token.isEmpty()) {
      token = JsonFields.text(response, "token");
    }
    if (token.isEmpty()) {
      throw new TokenFetchException(
          "token endpoint " + displayUri(realm) + " did not include a token in the response", 0);
    }
    return toToken(token, response, realm);
  }

  /**
   * Sends the request and returns the JSON body of a 2xx or 3xx response. Redirects are followed
   * by hand because the credentials (the Authorization header or the form) may only go back to
   * the host they were meant for.
   */
  private JsonNode send(String method, URI uri, String authorization, byte[] form, String failure)
      throws TokenFetchException {
    String originalAuthority = uri.getAuthority();
    for (int redirects = 0; ; redirects++) {
      HttpResponse<InputStream> response = exchange(method, uri, authorization, form, failure);
      int status = response.statusCode();

      if (isRedirect(status) && response.headers().firstValue("Location").isPresent()) {
        closeQuietly(response.body());
        if (redirects >= MAX_REDIRECTS) {
          throw new TokenFetchException(failure + ": too many redirects from " + displayUri(uri), 0);
        }
        URI next = resolveRedirect(uri, response.headers().firstValue("Location").get(), failure);
        boolean sameHost = Objects.equals(next.getAuthority(), originalAuthority);
        if (status == 307 || status == 308) {
          if (form != null && !sameHost) {
            throw new TokenFetchException(
                failure + ": " + displayUri(uri) + " redirected to another host, "
                    + displayUri(next) + ", which would receive the credentials", 0);
          }
        } else {
          method = "GET";
          form = null;
        }
        if (!sameHost) {
          authorization = null;
        }
        uri = next;
        continue;
      }

      byte[] body = readBody(response, failure);
      if (status < 200 || status >= 400) {
        throw new TokenFetchException(
            failure + ": unexpected status from " + method + " request to " + displayUri(uri)
                + ": " + status,
            status);
      }
      return parseJson(body, uri, failure);
    }
  }

  private HttpResponse<InputStream> exchange(
      String method, URI uri, String authorization, byte[] form, String failure)
      throws TokenFetchException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("User-Agent", USER_AGENT);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (form != null) {
      builder.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
      builder.method(method, HttpRequest.BodyPublishers.ofByteArray(form));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }

    try {
      return http.get().send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new TokenFetchException(
          failure + ": " + method + " request to " + displayUri(uri) + " failed: " + e, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TokenFetchException(failure + ": interrupted", 0, e);
    }
  }

  private static byte[] readBody(HttpResponse<InputStream> response, String failure)
      throws TokenFetchException {
    try (InputStream body = response.body()) {
      return body.readNBytes(MAX_RESPONSE_BYTES);
    } catch (IOException e) {
      throw new TokenFetchException(failure + ": failed to read the response: " + e, 0, e);
    }
  }

  private static JsonNode parseJson(byte[] body, URI uri, String failure)
      throws TokenFetchException {
    try {
      JsonNode node = Mapper.JSON.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // Reported below without the body, because it may contain a token.
    }
    throw new TokenFetchException(
        failure + ": unable to decode token response from " + displayUri(uri), 0);
  }

  private static Token toToken(String token, JsonNode response, URI realm)
      throws TokenFetchException {
    long expiresIn = 0;
    JsonNode expires = JsonFields.get(response, "expires_in");
    if (expires != null && !expires.isNull()) {
      if (!expires.canConvertToLong()) {
        throw new TokenFetchException(
            "token endpoint " + displayUri(realm) + " returned an invalid expires_in", 0);
      }
      expiresIn = expires.asLong();
    }

    long issuedAt = 0;
    String issued = JsonFields.text(response, "issued_at");
    if (!issued.isEmpty()) {
      try {
        issuedAt = OffsetDateTime.parse(issued).toEpochSecond();
      } catch (DateTimeParseException e) {
        throw new TokenFetchException(
            "token endpoint " + displayUri(realm) + " returned an invalid issued_at: " + issued, 0);
      }
    }

    return new Token(token, expiresIn <= 0 ? DEFAULT_EXPIRES_IN_SECONDS : expiresIn, issuedAt);
  }

  private static URI parseRealm(String realm) throws TokenFetchException {
    try {
      URI uri = new URI(realm);
      String scheme = uri.getScheme();
      if (("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Reported below.
    }
    throw new TokenFetchException("invalid token realm \"" + realm + "\": not an http(s) URL", 0);
  }

  private static URI resolveRedirect(URI from, String location, String failure)
      throws TokenFetchException {
    try {
      URI next = from.resolve(location);
      String scheme = next.getScheme();
      if ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) {
        return next;
      }
    } catch (IllegalArgumentException e) {
      // Reported below.
    }
    throw new TokenFetchException(
        failure + ": " + displayUri(from) + " redirected to an invalid location", 0);
  }

  private static URI withQuery(URI realm, String parameters) {
    if (parameters.isEmpty()) {
      return realm;
    }
    String text = realm.toString();
    int fragment = text.indexOf('#');
    if (fragment >= 0) {
      text = text.substring(0, fragment);
    }
    String separator = realm.getRawQuery() == null || realm.getRawQuery().isEmpty() ? "?" : "&";
    if (text.endsWith("?")) {
      separator = "";
    }
    return URI.create(text + separator + parameters);
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static String encodeForm(Map<String, String> form) {
    List<String> pairs = new ArrayList<>();
    form.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
    return String.join("&", pairs);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Returns the URI without its query, which may carry scopes but never belongs in a message. */
  private static String displayUri(URI uri) {
    return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // Nothing more is read from a redirect response.
    }
  }

  private static String credentialDigest(RegistryCredentials credentials) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(credentials.sessionUsername().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(credentials.sessionSecret().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  /** The parameters of a token request, from a registry's {@code WWW-Authenticate} challenge. */
  record TokenRequest(String realm, String service, List<String> scopes) {
    TokenRequest {
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * A bearer token as BuildKit's FetchToken response carries it.
   *
   * @param expiresIn lifetime in seconds, never 0
   * @param issuedAt issue time in Unix seconds, or 0 when unknown
   */
  record Token(String value, long expiresIn, long issuedAt) {
    @Override
    public String toString() {
      return "Token[value=<hidden>, expiresIn=" + expiresIn + ", issuedAt=" + issuedAt + "]";
    }
  }

  /** Identifies the credentials by digest, so that a key never contains or prints a secret. */
  private record CacheKey(TokenRequest request, String credentialDigest) {}

  private record CachedToken(Token token, Instant refreshAt, Instant expiresAt) {}

  /**
   * The JSON mapper, in a class of its own so that it is initialized on first use: every build loads
   * the outer class, few need the mapper, and creating the first ObjectMapper is slow.
   */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }
}
