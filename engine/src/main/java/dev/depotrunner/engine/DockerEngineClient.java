package dev.depotrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the Docker Engine API for the image calls BuildKit cannot make itself: load, push, pull
 * and inspect, plus {@code /_ping} and {@code /version}. Paths carry no API version prefix, so the
 * engine serves its own current version; every call used here exists unchanged since API 1.24.
 *
 * <p>Calls block and use one connection each. Registry credentials go only into the
 * {@code X-Registry-Auth} header and never into messages.
 */
public final class DockerEngineClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The status line engines before API 1.23 and some proxies send in place of the {@code aux} digest. */
  private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

  private final EngineConnector connector;

  public DockerEngineClient(EngineConnector connector) {
    this.connector = Objects.requireNonNull(connector, "connector");
  }

  /** Returns the address this client connects to. */
  public EngineConnector connector() {
    return connector;
  }

  /**
   * Checks that the engine responds to {@code GET /_ping}.
   *
   * @return the API version the engine reports in its {@code Api-Version} header, or empty
   */
  public String ping() throws IOException {
    String operation = "pinging the Docker Engine at " + connector;
    try (HttpCall.Response response = send("GET", "/_ping", Map.of(), operation)) {
      requireSuccess(response, operation);
      String apiVersion = response.head().header("Api-Version");
      return apiVersion == null ? "" : apiVersion;
    }
  }

  /** Reads {@code GET /version}. */
  public EngineVersion version() throws IOException {
    String operation = "reading the version of the Docker Engine at " + connector;
    JsonNode json = getJson("/version", operation);
    return new EngineVersion(
        json.path("Version").asText(""), json.path("ApiVersion").asText(""), json.path("MinAPIVersion").asText(""));
  }

  /**
   * Inspects an image by name or id.
   *
   * @return the image, or empty when the engine has no image of that name
   */
  public Optional<ImageDetails> inspectImage(String name) throws IOException {
    String operation = "inspecting the image " + name + " in the Docker Engine at " + connector;
    try (HttpCall.Response response = send("GET", "/images/" + pathSegment(name) + "/json", Map.of(), operation)) {
      if (response.head().status() == 404) {
        return Optional.empty();
      }
      requireSuccess(response, operation);
      JsonNode json = readJson(response, operation);
      return Optional.of(new ImageDetails(json.path("Id").asText(""), texts(json.path("RepoTags")), texts(json.path("RepoDigests"))));
    }
  }

  /**
   * Starts {@code POST /images/load}; the caller streams the docker-archive tar into the returned
   * upload and finishes it.
   */
  public ImageLoad startLoad() throws IOException {
    String operation = "loading the image into the Docker Engine at " + connector;
    try {
      HttpCall call = HttpCall.stream(connector, "POST", "/images/load?quiet=1", Map.of("Content-Type", "application/x-tar"));
      return new ImageLoad(call, connector);
    } catch (IOException e) {
      throw connectFailed(operation, e);
    }
  }

  /** Loads a docker-archive tar read from {@code archive}, streaming it; returns the engine's output lines. */
  public List<String> loadImage(InputStream archive) throws IOException {
    try (ImageLoad load = startLoad()) {
      archive.transferTo(load.archive());
      return load.finish();
    }
  }

  /**
   * Pushes {@code repository:tag} from the engine's image store to its registry, through
   * {@code POST /images/{name}/push}.
   *
   * @param repository the name without tag, such as {@code 127.0.0.1:5000/app}
   * @param progress receives each progress message
   * @return the digest of the pushed manifest, such as {@code sha256:...}
   * @throws EngineException if the engine or the registry rejects the push; the message is the engine's
   */
  public String pushImage(String repository, String tag, RegistryAuth auth, Consumer<JsonMessage> progress)
      throws IOException {
    String reference = repository + ":" + tag;
    String operation = "pushing " + reference + " through the Docker Engine at " + connector;
    String target = "/images/" + pathSegment(repository) + "/push?tag=" + queryValue(tag);
    List<String> digests = new ArrayList<>();
    JsonMessage aux = postMessages(target, auth, operation, message -> {
      Matcher matcher = PUSHED_DIGEST.matcher(message.status());
      if (matcher.find()) {
        digests.add(matcher.group(1));
      }
      progress.accept(message);
    });
    if (aux != null && !aux.aux().path("Digest").asText("").isEmpty()) {
      return aux.aux().path("Digest").asText();
    }
    if (!digests.isEmpty()) {
      return digests.get(digests.size() - 1);
    }
    throw new EngineException(operation + " failed: the engine did not report the pushed digest", 0, null);
  }

  /**
   * Pulls {@code repository:tag} into the engine's image store, through {@code POST /images/create}.
   *
   * @throws EngineException if the engine or the registry rejects the pull; the message is the engine's
   */
  public void pullImage(String repository, String tag, RegistryAuth auth, Consumer<JsonMessage> progress)
      throws IOException {
    pullImage(repository, tag, Optional.empty(), auth, progress);
  }

  /**
   * Pulls {@code repository:tag}, or {@code repository@digest} when {@code tag} is a digest, for
   * {@code platform} (such as {@code linux/arm64}) when given.
   *
   * @throws EngineException if the engine or the registry rejects the pull; the message is the engine's
   */
  public void pullImage(String repository, String tag, Optional<String> platform, RegistryAuth auth,
      Consumer<JsonMessage> progress) throws IOException {
    String reference = repository + (tag.startsWith("sha256:") ? "@" : ":") + tag;
    String operation = "pulling " + reference + " into the Docker Engine at " + connector;
    String target = "/images/create?fromImage=" + queryValue(repository) + "&tag=" + queryValue(tag)
        + platform.map(value -> "&platform=" + queryValue(value)).orElse("");
    postMessages(target, auth, operation, progress);
  }

  /**
   * Tags the image {@code source} (a name or id) as {@code repository:tag}, through {@code POST
   * /images/{name}/tag}.
   *
   * @throws EngineException if the engine has no such image or rejects the new name
   */
  public void tagImage(String source, String repository, String tag) throws IOException {
    String operation = "tagging " + source + " as " + repository + ":" + tag + " in the Docker Engine at " + connector;
    String target = "/images/" + pathSegment(source) + "/tag?repo=" + queryValue(repository) + "&tag=" + queryValue(tag);
    try (HttpCall.Response response = send("POST", target, Map.of(), operation)) {
      requireSuccess(response, operation);
    }
  }

  /** Sends {@code POST target} with registry credentials and reads its message stream; returns the last aux message. */
  private JsonMessage postMessages(String target, RegistryAuth auth, String operation, Consumer<JsonMessage> listener)
      throws IOException {
    try (HttpCall.Response response = send("POST", target, Map.of("X-Registry-Auth", auth.encode()), operation)) {
      requireSuccess(response, operation);
      return JsonMessageReader.read(response.body(), operation, listener);
    }
  }

  private HttpCall.Response send(String method, String target, Map<String, String> headers, String operation)
      throws IOException {
    try {
      return HttpCall.send(connector, method, target, headers, method.equals("POST") ? new byte[0] : null);
    } catch (IOException e) {
      throw connectFailed(operation, e);
    }
  }

  private EngineException connectFailed(String operation, IOException cause) {
    if (cause instanceof EngineException engineException) {
      return engineException;
    }
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new EngineException(
        operation + " failed: " + reason + "; check that the engine runs and that DOCKER_HOST names it", 0, cause);
  }

  private JsonNode getJson(String target, String operation) throws IOException {
    try (HttpCall.Response response = send("GET", target, Map.of(), operation)) {
      requireSuccess(response, operation);
      return readJson(response, operation);
    }
  }

  private static JsonNode readJson(HttpCall.Response response, String operation) throws EngineException {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new EngineException(operation + " failed: the engine's response is not JSON: " + e.getMessage(), response.head().status(), e);
    }
  }

  private static void requireSuccess(HttpCall.Response response, String operation) throws IOException {
    if (!response.successful()) {
      throw EngineException.fromResponse(operation, response.head(), response.errorBody());
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }

  /** Percent-encodes an image name for a path, keeping the slashes and colons that name paths contain. */
  static String pathSegment(String name) {
    var encoded = new StringBuilder(name.length());
    for (byte value : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (value & 0xff);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "-._~/:@".indexOf(c) >= 0;
      if (plain) {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format("%02X", value & 0xff));
      }
    }
    return encoded.toString();
  }

  private static String queryValue(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
