package dev.depotrunner.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Joins images that builders pushed by digest into one OCI image index and puts it under each target's
 * tag, as buildx does after a build on several nodes. Each source image must already be in every
 * target's repository. An image that is an index itself, such as one platform with its attestation
 * manifest, contributes all its manifest descriptors unchanged.
 *
 * <p>Registries on loopback addresses are reached over HTTP, all others over HTTPS.
 */
public final class IndexPush {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Credentials credentials;
  private final Retrier retrier;

  private IndexPush(HttpClient http, Credentials credentials, RetryPolicy retryPolicy) {
    this.http = http;
    this.credentials = credentials;
    this.retrier = new Retrier(retryPolicy, event -> {});
  }

  /** Creates a push that finds each target registry's credential in {@code credentials}. */
  public static IndexPush create(Credentials credentials) {
    HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    return new IndexPush(http, Objects.requireNonNull(credentials, "credentials"), RetryPolicy.defaults());
  }

  /**
   * Puts the index of {@code sourceDigests} under every one of {@code targets}.
   *
   * @param sourceDigests the manifest or index digest of each image, in the order the index lists them
   * @param annotations the index's own annotations
   * @throws RegistryAuthenticationException if a registry rejects the credentials
   * @throws RegistryException if a source image is missing from a target's repository, a registry fails,
   *     or the registry stores the index under another digest
   */
  public PushedIndex push(List<ImageName> targets, List<String> sourceDigests, Map<String, String> annotations)
      throws RegistryException, InterruptedException {
    if (targets.isEmpty() || sourceDigests.isEmpty()) {
      throw new IllegalArgumentException("at least one target and one source digest are required");
    }

    byte[] index = null;
    for (ImageName target : targets) {
      RepositorySession session = open(target);
      List<JsonNode> descriptors = new ArrayList<>();
      for (String digest : sourceDigests) {
        descriptors.addAll(describe(session, digest));
      }
      byte[] assembled = ImageIndex.assemble(descriptors, annotations);
      if (index != null && !Arrays.equals(index, assembled)) {
        throw new RegistryException("the images pushed to " + target.registry() + "/" + target.repository()
            + " differ from those in " + targets.get(0).registry() + "/" + targets.get(0).repository()
            + "; push the build again");
      }
      index = assembled;
      put(session, index);
    }

    Manifest pushed = Manifest.parse(index, Manifest.OCI_INDEX);
    return new PushedIndex(pushed.digest(), pushed.mediaType(), index.length, platformsOf(index));
  }

  private RepositorySession open(ImageName target) throws RegistryException, InterruptedException {
    RepositorySession session =
        new RepositorySession(http, target, credentials.forPush(target.registry()), true, Optional.empty());
    retrier.run(target, "authenticating to " + target.registry(), () -> {
      session.authenticate();
      return null;
    });
    return session;
  }

  /** Returns the index descriptors of the image at {@code digest}: its own, or its index's entries. */
  private List<JsonNode> describe(RepositorySession session, String digest)
      throws RegistryException, InterruptedException {
    Manifest manifest = pullManifest(session, digest);
    if (!manifest.digest().equals(digest)) {
      throw new RegistryException("registry " + session.image().registry() + " returned manifest "
          + manifest.digest() + " for " + digest);
    }

    if (manifest.isIndex()) {
      List<JsonNode> entries = new ArrayList<>();
      readJson(manifest.bytes(), digest).path("manifests").forEach(entries::add);
      return entries;
    }
    Descriptor config = manifest.references().get(0);
    return List.of(ImageIndex.describe(manifest, readJson(pullBlob(session, config.digest()), config.digest())));
  }

  private Manifest pullManifest(RepositorySession session, String digest)
      throws RegistryException, InterruptedException {
    ImageName image = session.image();
    String operation = "pulling manifest " + digest + " from " + image.registry() + "/" + image.repository();
    HttpResponse<byte[]> response = retrier.run(image, operation, () -> {
      HttpRequest.Builder request = session.request(session.repositoryUri("manifests/" + digest))
          .GET()
          .header("Accept", String.join(", ", Manifest.SUPPORTED));
      HttpResponse<byte[]> pulled = session.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (pulled.statusCode() == 404) {
        throw new RegistryException("manifest " + digest + " not found in " + image.registry() + "/"
            + image.repository() + "; the builder's push by digest did not reach this repository");
      }
      if (pulled.statusCode() != 200) {
        throw session.statusError(operation, pulled.statusCode(), new String(pulled.body()));
      }
      return pulled;
    });

    try {
      return Manifest.parse(response.body(), response.headers().firstValue("Content-Type").orElse(""));
    } catch (IllegalArgumentException e) {
      throw new RegistryException(operation + " failed: " + e.getMessage(), e);
    }
  }

  /** Pulls a small blob such as an image config, following a redirect to storage without the Authorization header. */
  private byte[] pullBlob(RepositorySession session, String digest) throws RegistryException, InterruptedException {
    ImageName image = session.image();
    String operation = "pulling blob " + digest + " from " + image.registry() + "/" + image.repository();
    return retrier.run(image, operation, () -> {
      HttpRequest.Builder request = session.request(session.repositoryUri("blobs/" + digest)).GET();
      HttpResponse<byte[]> pulled = session.send(request, HttpResponse.BodyHandlers.ofByteArray());
      int status = pulled.statusCode();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        URI location = session.resolve(pulled.headers().firstValue("Location").orElse(""));
        pulled = session.sendUnauthenticated(location, HttpResponse.BodyHandlers.ofByteArray());
        status = pulled.statusCode();
      }
      if (status != 200) {
        throw session.statusError(operation, status, new String(pulled.body()));
      }
      if (!Manifest.sha256(pulled.body()).equals(digest)) {
        throw new RegistryException(operation + " failed: the content does not match its digest");
      }
      return pulled.body();
    });
  }

  private void put(RepositorySession session, byte[] index) throws RegistryException, InterruptedException {
    ImageName target = session.image();
    String digest = Manifest.sha256(index);
    String operation = "pushing index " + digest + " to " + target;
    String stored = retrier.run(target, operation, () -> {
      HttpRequest.Builder request = session.request(session.repositoryUri("manifests/" + target.qualifier()))
          .header("Content-Type", Manifest.OCI_INDEX)
          .PUT(HttpRequest.BodyPublishers.ofByteArray(index));
      HttpResponse<String> response = session.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw session.statusError(operation, response.statusCode(), response.body());
      }
      return response.headers().firstValue("Docker-Content-Digest").orElse(digest);
    });
    if (!stored.equals(digest)) {
      throw new RegistryException("registry " + target.registry() + " stored index " + digest + " as " + stored
          + "; it changed the index's bytes");
    }
  }

  private static JsonNode readJson(byte[] bytes, String digest) throws RegistryException {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new RegistryException("content " + digest + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** Returns the platforms of an index's images, leaving out attestation manifests ({@code unknown/unknown}). */
  static List<String> platformsOf(byte[] index) {
    List<String> platforms = new ArrayList<>();
    JsonNode root;
    try {
      root = JSON.readTree(index);
    } catch (IOException e) {
      throw new IllegalArgumentException("index is not valid JSON", e);
    }
    for (JsonNode descriptor : root.path("manifests")) {
      JsonNode platform = descriptor.path("platform");
      String os = platform.path("os").asText("");
      String architecture = platform.path("architecture").asText("");
      if (os.isEmpty() || os.equals("unknown")) {
        continue;
      }
      String variant = platform.path("variant").asText("");
      platforms.add(os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant));
    }
    return List.copyOf(platforms);
  }
}
