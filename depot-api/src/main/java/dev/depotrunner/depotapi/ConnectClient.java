package dev.depotrunner.depotapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A client of Connect services (https://connectrpc.com/docs/protocol) over {@link HttpClient}, with
 * binary protobuf messages: unary calls and server streams. It is the one place where HTTP responses
 * become messages or {@link DepotApiException}s.
 *
 * <p>Every call sends {@code Authorization: Bearer <token>} and the User-Agent given at creation.
 * Instances are thread-safe.
 */
public final class ConnectClient {

  /** The API that {@code DEPOT_API_URL} replaces. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.depot.dev");

  /** How long a unary call may take, sent to the server as {@code Connect-Timeout-Ms} too. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

  static final String PROTOCOL_VERSION = "1";
  static final String UNARY_CONTENT_TYPE = "application/proto";
  static final String STREAM_CONTENT_TYPE = "application/connect+proto";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The calls that look up a build by an ID the user gave, which {@link #buildIdGiven} checks. */
  private static final Set<String> BUILD_LOOKUPS = Set.of(
      BuildService.GET_PULL_INFO.displayName(),
      BuildService.GET_PULL_TOKEN.displayName(),
      PushService.START_PUSH.displayName());

  private final URI baseUrl;
  private final String userAgent;
  private final HttpClient http;
  private final Duration callTimeout;

  private ConnectClient(URI baseUrl, String userAgent, HttpClient http, Duration callTimeout) {
    this.baseUrl = baseUrl;
    this.userAgent = userAgent;
    this.http = http;
    this.callTimeout = callTimeout;
  }

  /**
   * Creates a client for the API at {@code baseUrl} with its own {@link HttpClient}: HTTP/2 negotiated by
   * TLS for {@code https://}, HTTP/1.1 for {@code http://}.
   *
   * <p>NOTE: the Depot CLI speaks HTTP/2 without TLS (prior knowledge) to an {@code http://} API. The
   * JDK client cannot, and Connect's unary calls and server streams work over HTTP/1.1 as well.
   */
  public static ConnectClient create(URI baseUrl, String userAgent) {
    URI checked = checkBaseUrl(baseUrl, "the Depot API URL");
    HttpClient.Version version =
        checked.getScheme().equals("https") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
    HttpClient http =
        HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(30)).build();
    return new ConnectClient(checked, userAgent, http, DEFAULT_CALL_TIMEOUT);
  }

  /** Creates a client that sends its requests through {@code http}, which the caller owns. */
  public static ConnectClient create(URI baseUrl, String userAgent, HttpClient http) {
    return new ConnectClient(
        checkBaseUrl(baseUrl, "the Depot API URL"), userAgent, Objects.requireNonNull(http, "http"), DEFAULT_CALL_TIMEOUT);
  }

  /**
   * Creates a client for the API that {@code DEPOT_API_URL} names, else {@link #DEFAULT_BASE_URL}.
   *
   * @throws IllegalArgumentException if {@code DEPOT_API_URL} is not an http or https URL
   */
  public static ConnectClient fromEnvironment(Map<String, String> environment, String userAgent) {
    String value = environment.getOrDefault("DEPOT_API_URL", "").strip();
    if (value.isEmpty()) {
      return create(DEFAULT_BASE_URL, userAgent);
    }
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "invalid DEPOT_API_URL \"" + value + "\": it is not a URL; use a URL such as " + DEFAULT_BASE_URL, e);
    }
    return create(checkBaseUrl(url, "DEPOT_API_URL"), userAgent);
  }

  /** Returns a copy whose unary calls time out after {@code timeout}. */
  public ConnectClient withCallTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("invalid call timeout " + timeout + ": it must be positive");
    }
    return new ConnectClient(baseUrl, userAgent, http, timeout);
  }

  /** The API's base URL, without a trailing slash. */
  public URI baseUrl() {
    return baseUrl;
  }

  private static URI checkBaseUrl(URI url, String label) {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "invalid " + label + " \"" + url + "\": only http:// and https:// URLs are supported, such as "
              + DEFAULT_BASE_URL);
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw new IllegalArgumentException("invalid " + label + " \"" + url + "\": the host is missing");
    }
    String text = url.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  /**
   * Calls a unary method.
   *
   * @throws DepotApiException if the server returns an error, cannot be reached, or sends an invalid
   *     response
   * @throws InterruptedException if the calling thread is interrupted; the request is abandoned
   */
  public <Q extends Message, R extends Message> R unary(ConnectMethod<Q, R> method, Q request, ApiToken token)
      throws DepotApiException, InterruptedException {
    HttpRequest httpRequest = newRequest(method, token)
        .header("Content-Type", UNARY_CONTENT_TYPE)
        .header("Connect-Timeout-Ms", Long.toString(callTimeout.toMillis()))
        .timeout(callTimeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
        .build();

    HttpResponse<byte[]> response = send(method, token, httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw errorFromBody(method, token, response.statusCode(), response.body(), buildIdGiven(method, request));
    }

    String contentType = response.headers().firstValue("Content-Type").orElse("");
    if (!mediaType(contentType).equals(UNARY_CONTENT_TYPE)) {
      throw new DepotApiException(ConnectCode.INTERNAL, method.displayName(),
          "the response has Content-Type \"" + contentType + "\", expected " + UNARY_CONTENT_TYPE, null);
    }
    if (response.headers().firstValue("Content-Encoding").filter(e -> !e.equals("identity")).isPresent()) {
      throw new DepotApiException(ConnectCode.INTERNAL, method.displayName(),
          "the response is compressed although no compression was offered", null);
    }
    return parse(method, token, response.body());
  }

  /**
   * Calls a server-streaming method. The caller reads the stream to its end or closes it.
   *
   * @throws DepotApiException if the server rejects the call before streaming
   */
  public <Q extends Message, R extends Message> ServerStream<R> serverStream(
      ConnectMethod<Q, R> method, Q request, ApiToken token) throws DepotApiException, InterruptedException {
    byte[] body = new Envelope(0, request.toByteArray()).toBytes();
    HttpRequest httpRequest = newRequest(method, token)
        .header("Content-Type", STREAM_CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();

    HttpResponse<InputStream> response = send(method, token, httpRequest, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      byte[] errorBody;
      try (InputStream in = response.body()) {
        errorBody = in.readNBytes(64 * 1024);
      } catch (IOException e) {
        errorBody = new byte[0];
      }
      throw errorFromBody(method, token, response.statusCode(), errorBody, false);
    }

    String contentType = response.headers().firstValue("Content-Type").orElse("");
    if (!mediaType(contentType).equals(STREAM_CONTENT_TYPE)) {
      closeQuietly(response.body());
      throw new DepotApiException(ConnectCode.INTERNAL, method.displayName(),
          "the response has Content-Type \"" + contentType + "\", expected " + STREAM_CONTENT_TYPE, null);
    }
    return new ServerStream<>(this, method, token, response.body());
  }

  private HttpRequest.Builder newRequest(ConnectMethod<?, ?> method, ApiToken token) {
    return HttpRequest.newBuilder(URI.create(baseUrl + method.path()))
        .header("Connect-Protocol-Version", PROTOCOL_VERSION)
        .header("Authorization", "Bearer " + token.value())
        .header("User-Agent", userAgent);
  }

  private <T> HttpResponse<T> send(
      ConnectMethod<?, ?> method, ApiToken token, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws DepotApiException, InterruptedException {
    try {
      return http.send(request, handler);
    } catch (HttpTimeoutException e) {
      throw new DepotApiException(ConnectCode.DEADLINE_EXCEEDED, method.displayName(),
          "no response from " + baseUrl + " within " + callTimeout.toSeconds() + "s", e);
    } catch (IOException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new DepotApiException(ConnectCode.UNAVAILABLE, method.displayName(),
          "cannot reach " + baseUrl + ": " + token.redact(reason), e);
    }
  }

  <R extends Message> R parse(ConnectMethod<?, R> method, ApiToken token, byte[] payload) throws DepotApiException {
    try {
      return method.responseParser().parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new DepotApiException(ConnectCode.INTERNAL, method.displayName(),
          "the response is not a valid " + method.name() + " response message: " + token.redact(e.getMessage()), e);
    }
  }

  /**
   * Builds the exception for an HTTP error status: from the Connect error JSON in the body when there is
   * one, else from the status alone.
   */
  private static DepotApiException errorFromBody(
      ConnectMethod<?, ?> method, ApiToken token, int status, byte[] body, boolean buildIdGiven) {
    JsonNode error = null;
    try {
      error = JSON.readTree(body);
    } catch (IOException e) {
      // Not JSON, such as an HTML page from a proxy; the HTTP status decides.
    }
    if (error != null && error.isObject() && error.hasNonNull("code")) {
      return fromErrorJson(method, token, error, buildIdGiven);
    }
    return new DepotApiException(
        ConnectCode.fromHttpStatus(status), method.displayName(), "HTTP status " + status, buildIdGiven, null);
  }

  /** Builds the exception for a Connect error object: {@code {"code": "...", "message": "..."}}. */
  static DepotApiException fromErrorJson(ConnectMethod<?, ?> method, ApiToken token, JsonNode error) {
    return fromErrorJson(method, token, error, false);
  }

  private static DepotApiException fromErrorJson(
      ConnectMethod<?, ?> method, ApiToken token, JsonNode error, boolean buildIdGiven) {
    String wireCode = error.path("code").asText("");
    ConnectCode code = ConnectCode.fromWireName(wireCode).orElse(ConnectCode.UNKNOWN);
    String message = error.path("message").asText("");
    return new DepotApiException(code, method.displayName(), token.redact(message), buildIdGiven, null);
  }

  /**
   * Returns whether the request is one of the calls that look up a build by the ID the user gave
   * ({@code depot pull}, {@code depot push}, {@code depot pull-token}) and carries that ID. Other calls
   * with a build ID take it from CreateBuild, so their not_found keeps the project hint.
   */
  static boolean buildIdGiven(ConnectMethod<?, ?> method, Message request) {
    if (!BUILD_LOOKUPS.contains(method.displayName())) {
      return false;
    }
    FieldDescriptor buildId = request.getDescriptorForType().findFieldByName("build_id");
    return buildId != null && !request.getField(buildId).toString().isEmpty();
  }

  static JsonNode readJson(byte[] payload) throws IOException {
    return JSON.readTree(payload);
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // The response is abandoned anyway.
    }
  }
}
