package dev.depotrunner.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authenticated requests to one repository of a registry (Distribution API v2). Handles the
 * {@code WWW-Authenticate} challenge of {@code /v2/}: Basic auth sends the credential with each
 * request, Bearer auth fetches a token from the challenge's realm for this repository's scope
 * (and pull on {@code mountFrom}, so the registry allows cross-repository mounts). A token that
 * expires during a copy is fetched again once per request.
 */
final class RepositorySession {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
  static final String USER_AGENT = "depot-runner";

  private final HttpClient http;
  private final ImageName image;
  private final Optional<RegistryCredential> credential;
  private final boolean push;
  private final Optional<String> mountFrom;
  private final URI base;

  private volatile String authorization;

  RepositorySession(
      HttpClient http,
      ImageName image,
      Optional<RegistryCredential> credential,
      boolean push,
      Optional<String> mountFrom) {
    this.http = http;
    this.image = image;
    this.credential = credential;
    this.push = push;
    this.mountFrom = mountFrom;
    String scheme = image.isLoopback() ? "http" : "https";
    this.base = URI.create(scheme + "://" + image.registry() + "/v2/");
  }

  ImageName image() {
    return image;
  }

  /** The URI of {@code path} under {@code /v2/<repository>/}. */
  URI repositoryUri(String path) {
    return base.resolve(image.repository() + "/" + path);
  }

  /** Resolves a {@code Location} header, which may be relative, against the registry. */
  URI resolve(String location) {
    return base.resolve(location);
  }

  /** Reads the {@code /v2/} challenge and obtains the authorization it requests. */
  void authenticate() throws IOException, InterruptedException, RegistryException {
    HttpRequest ping = request(base).GET().build();
    HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      authorization = null;
      return;
    }
    if (response.statusCode() != 401) {
      throw statusError("contacting registry " + image.registry(), response.statusCode(),
          response.body());
    }
    String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
    authorization = authorize(challenge);
  }

  /**
   * Sends {@code builder}'s request with this session's authorization. On 401 it authenticates
   * again, because a Bearer token may have expired, and sends the request once more.
   */
  <T> HttpResponse<T> send(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException, RegistryException {
    HttpResponse<T> response = http.send(withAuthorization(builder).build(), handler);
    if (response.statusCode() != 401) {
      return response;
    }

    discard(response);
    authenticate();
    response = http.send(withAuthorization(builder).build(), handler);
    if (response.statusCode() == 401) {
      discard(response);
      throw rejected();
    }
    return response;
  }

  /**
   * Sends a request whose body can be read only once, such as a streamed blob. On 401 it
   * authenticates again and throws a transient error, so the caller's retry starts over with a
   * new body and the new authorization.
   */
  <T> HttpResponse<T> sendOnce(HttpRequest.Builder builder, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException, RegistryException {
    HttpResponse<T> response = http.send(withAuthorization(builder).build(), handler);
    if (response.statusCode() != 401) {
      return response;
    }

    discard(response);
    authenticate();
    throw new RegistryStatusException("registry " + image.registry()
        + " rejected the authorization of a streamed request to " + image.repository()
        + " (expired token)", 401, true);
  }

  /** Sends a request without this session's authorization, for a redirect to another host. */
  <T> HttpResponse<T> sendUnauthenticated(URI uri, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return http.send(request(uri).GET().build(), handler);
  }

  HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("User-Agent", USER_AGENT);
  }

  /** Builds the error for an unexpected status, from the registry's error body if it has one. */
  RegistryStatusException statusError(String operation, int status, String body) {
    return new RegistryStatusException(
        operation + " failed: HTTP " + status + describeErrors(body), status);
  }

  private HttpRequest.Builder withAuthorization(HttpRequest.Builder builder) {
    HttpRequest.Builder copy = builder.copy();
    String value = authorization;
    if (value != null) {
      copy.setHeader("Authorization", value);
    }
    return copy;
  }

  private String authorize(String challenge)
      throws IOException, InterruptedException, RegistryException {
    String scheme = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "basic" -> {
        RegistryCredential known = credential.orElseThrow(this::missingCredential);
        String value = basic(known);
        HttpRequest check = request(base).GET().header("Authorization", value).build();
        HttpResponse<String> response = http.send(check, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
          throw rejected();
        }
        return value;
      }
      case "bearer" -> {
        return "Bearer " + fetchToken(parameters(challenge));
      }
      default -> throw new RegistryException(
          "registry " + image.registry() + " asks for unsupported authentication \""
              + challenge + "\"; expected Basic or Bearer");
    }
  }

  private String fetchToken(Map<String, String> challenge)
      throws IOException, InterruptedException, RegistryException {
    String realm = challenge.get("realm");
    if (realm == null || realm.isEmpty()) {
      throw new RegistryException(
          "registry " + image.registry() + " sent a Bearer challenge without a realm");
    }

    List<String> query = new ArrayList<>();
    if (challenge.containsKey("service")) {
      query.add("service=" + encode(challenge.get("service")));
    }
    query.add("scope=" + encode("repository:" + image.repository() + (push ? ":pull,push" : ":pull")));
    if (mountFrom.isPresent()) {
      query.add("scope=" + encode("repository:" + mountFrom.get() + ":pull"));
    }
    credential.ifPresent(known -> query.add("account=" + encode(known.username())));
    URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + String.join("&", query));

    HttpRequest.Builder builder = request(uri).GET();
    credential.ifPresent(known -> builder.header("Authorization", basic(known)));
    HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw credential.isPresent() ? rejected() : missingCredential();
    }
    if (response.statusCode() != 200) {
      throw statusError("fetching a token for " + image.registry() + " from " + uri.getHost()
          + ":" + uri.getPort(), response.statusCode(), response.body());
    }

    JsonNode body = JSON.readTree(response.body());
    String token = body.path("token").asText("");
    if (token.isEmpty()) {
      token = body.path("access_token").asText("");
    }
    if (token.isEmpty()) {
      throw new RegistryException(
          "the token service of registry " + image.registry() + " returned no token");
    }
    return token;
  }

  private RegistryAuthenticationException rejected() {
    String user = credential.map(RegistryCredential::username).orElse("");
    return new RegistryAuthenticationException(
        "registry " + image.registry() + " rejected the credentials of user \"" + user + "\" for "
            + image.repository() + (push ? " (push)" : " (pull)")
            + "; check the password, DEPOT_PUSH_REGISTRY_* variables or docker login "
            + image.registry());
  }

  private RegistryAuthenticationException missingCredential() {
    return new RegistryAuthenticationException(
        "registry " + image.registry() + " requires credentials for " + image.repository()
            + "; set DEPOT_PUSH_REGISTRY_USERNAME and DEPOT_PUSH_REGISTRY_PASSWORD or run docker"
            + " login " + image.registry());
  }

  private static String basic(RegistryCredential credential) {
    String pair = credential.username() + ":" + credential.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, String> parameters(String challenge) {
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher matcher = CHALLENGE_PARAMETER.matcher(challenge);
    while (matcher.find()) {
      parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
    }
    return parameters;
  }

  /** Formats a Distribution error body as {@code ": CODE message; CODE message"}. */
  static String describeErrors(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode errors = JSON.readTree(body).path("errors");
      List<String> parts = new ArrayList<>();
      for (JsonNode error : errors) {
        parts.add((error.path("code").asText("") + " " + error.path("message").asText("")).trim());
      }
      return parts.isEmpty() ? "" : ": " + String.join("; ", parts);
    } catch (IOException e) {
      String line = body.strip().lines().findFirst().orElse("");
      return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static void discard(HttpResponse<?> response) throws IOException {
    if (response.body() instanceof InputStream stream) {
      stream.close();
    }
  }
}
