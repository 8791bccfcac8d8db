package dev.depotrunner.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A two-platform image index with one attestation manifest per platform, as BuildKit pushes
 * with provenance, generated from random layers and pushed with plain Distribution API calls.
 * The JSON is pretty-printed, so any client that re-serializes a manifest changes its digest.
 */
final class TestImage {

  static final String ATTESTATION_TYPE = "vnd.docker.reference.type";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final String indexDigest;
  final byte[] indexBytes;
  final List<String> manifestDigests = new ArrayList<>();
  final List<String> blobDigests = new ArrayList<>();
  private final String registry;
  private final String repository;

  private TestImage(String registry, String repository, String indexDigest, byte[] indexBytes) {
    this.registry = registry;
    this.repository = repository;
    this.indexDigest = indexDigest;
    this.indexBytes = indexBytes;
  }

  /** Generates the image and pushes it to the open registry {@code registry} as repository:tag. */
  static TestImage push(String registry, String repository, String tag) throws Exception {
    Pusher pusher = new Pusher(registry, repository);
    List<Map<String, Object>> descriptors = new ArrayList<>();
    List<String> manifests = new ArrayList<>();
    List<String> blobs = new ArrayList<>();

    for (String architecture : List.of("amd64", "arm64")) {
      // 1.5 MiB, so an upload reports progress before it completes.
      byte[] layer = random(3 << 19);
      String layerDigest = pusher.blob(layer);
      byte[] config = json(Map.of(
          "architecture", architecture,
          "os", "linux",
          "config", Map.of(),
          "rootfs", Map.of("type", "layers", "diff_ids", List.of(layerDigest))));
      String configDigest = pusher.blob(config);
      byte[] image = json(manifest(
          descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length),
          descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layerDigest, layer.length)));
      String imageDigest = pusher.manifest(image, Manifest.OCI_MANIFEST, null);

      byte[] statement = json(Map.of(
          "_type", "https://in-toto.io/Statement/v0.1",
          "predicateType", "https://slsa.dev/provenance/v0.2",
          "subject", List.of(Map.of("name", "_", "digest",
              Map.of("sha256", imageDigest.substring("sha256:".length())))),
          "predicate", Map.of("builder", Map.of("id", "depot-runner-test"))));
      String statementDigest = pusher.blob(statement);
      byte[] attestationConfig = json(Map.of(
          "architecture", "unknown",
          "os", "unknown",
          "config", Map.of(),
          "rootfs", Map.of("type", "layers", "diff_ids", List.of(statementDigest))));
      String attestationConfigDigest = pusher.blob(attestationConfig);
      Map<String, Object> statementDescriptor =
          descriptor("application/vnd.in-toto+json", statementDigest, statement.length);
      statementDescriptor.put("annotations",
          Map.of("in-toto.io/predicate-type", "https://slsa.dev/provenance/v0.2"));
      byte[] attestation = json(manifest(
          descriptor("application/vnd.oci.image.config.v1+json", attestationConfigDigest,
              attestationConfig.length),
          statementDescriptor));
      String attestationDigest = pusher.manifest(attestation, Manifest.OCI_MANIFEST, null);

      Map<String, Object> imageEntry = descriptor(Manifest.OCI_MANIFEST, imageDigest, image.length);
      imageEntry.put("platform", Map.of("architecture", architecture, "os", "linux"));
      Map<String, Object> attestationEntry =
          descriptor(Manifest.OCI_MANIFEST, attestationDigest, attestation.length);
      attestationEntry.put("platform", Map.of("architecture", "unknown", "os", "unknown"));
      attestationEntry.put("annotations", Map.of(
          "vnd.docker.reference.digest", imageDigest,
          ATTESTATION_TYPE, "attestation-manifest"));
      descriptors.add(imageEntry);
      descriptors.add(attestationEntry);
      manifests.add(imageDigest);
      manifests.add(attestationDigest);
      blobs.addAll(List.of(layerDigest, configDigest, statementDigest, attestationConfigDigest));
    }

    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", Manifest.OCI_INDEX);
    index.put("manifests", descriptors);
    byte[] indexBytes = json(index);
    String indexDigest = pusher.manifest(indexBytes, Manifest.OCI_INDEX, tag);

    TestImage pushed = new TestImage(registry, repository, indexDigest, indexBytes);
    pushed.manifestDigests.addAll(manifests);
    pushed.blobDigests.addAll(blobs);
    return pushed;
  }

  ImageName name(String tag) {
    return ImageName.parse(registry + "/" + repository + ":" + tag);
  }

  private static Map<String, Object> manifest(Map<String, Object> config, Map<String, Object> layer) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", Manifest.OCI_MANIFEST);
    manifest.put("config", config);
    manifest.put("layers", List.of(layer));
    return manifest;
  }

  private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest);
    descriptor.put("size", size);
    return descriptor;
  }

  private static byte[] json(Object value) throws Exception {
    return JSON.writeValueAsBytes(value);
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** Pushes blobs and manifests to an open registry. */
  private record Pusher(String registry, String repository) {

    String blob(byte[] content) throws Exception {
      String digest = Manifest.sha256(content);
      URI start = URI.create("http://" + registry + "/v2/" + repository + "/blobs/uploads/");
      HttpResponse<String> started = HTTP.send(
          HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      check(202, started);
      URI location = start.resolve(started.headers().firstValue("Location").orElseThrow());
      String separator = location.getRawQuery() == null ? "?" : "&";
      URI put = URI.create(location + separator + "digest=" + digest);
      check(201, HTTP.send(
          HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
          HttpResponse.BodyHandlers.ofString()));
      return digest;
    }

    String manifest(byte[] content, String mediaType, String tag) throws Exception {
      String digest = Manifest.sha256(content);
      URI uri = URI.create("http://" + registry + "/v2/" + repository + "/manifests/"
          + (tag == null ? digest : tag));
      check(201, HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", mediaType)
              .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
          HttpResponse.BodyHandlers.ofString()));
      return digest;
    }

    private static void check(int expected, HttpResponse<String> response) {
      if (response.statusCode() != expected) {
        throw new IllegalStateException(response.request().method() + " " + response.uri()
            + " returned " + response.statusCode() + ": " + response.body());
      }
    }
  }
}
