package dev.depotrunner.runner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes variants of the local base image to the unauthenticated registry of scripts/local-env.
 * A variant has the base image's layers and a config with one more label, so that each variant has
 * its own digest. Bake tests use one variant per target to tell the targets' images apart.
 */
final class VariantImages {

  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String registry;
  private final String baseRepository;
  private final String baseTag;

  /** @param baseImage such as {@code 127.0.0.1:5000/base/busybox:latest}, an OCI image manifest */
  VariantImages(String baseImage) {
    int slash = baseImage.indexOf('/');
    int colon = baseImage.lastIndexOf(':');
    this.registry = baseImage.substring(0, slash);
    this.baseRepository = baseImage.substring(slash + 1, colon);
    this.baseTag = baseImage.substring(colon + 1);
  }

  /**
   * Writes the base image with label {@code dev.depotrunner.variant=<variant>} to {@code
   * repository:variant} and returns its reference.
   */
  String write(String repository, String variant) throws IOException, InterruptedException {
    ObjectNode manifest = (ObjectNode) JSON.readTree(get("/v2/" + baseRepository + "/manifests/" + baseTag));
    ObjectNode config = (ObjectNode) JSON.readTree(
        get("/v2/" + baseRepository + "/blobs/" + manifest.path("config").path("digest").asText()));

    config.with("config").with("Labels").put("dev.depotrunner.variant", variant);
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configDigest = digest(configBytes);
    uploadBlob(repository, configBytes, configDigest);
    for (var layer : manifest.path("layers")) {
      mountBlob(repository, layer.path("digest").asText());
    }

    ObjectNode configDescriptor = (ObjectNode) manifest.get("config");
    configDescriptor.put("digest", configDigest);
    configDescriptor.put("size", configBytes.length);
    send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + variant))
        .header("Content-Type", MANIFEST_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(manifest))), 201);
    return registry + "/" + repository + ":" + variant;
  }

  private byte[] get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).header("Accept", MANIFEST_TYPE).GET(), 200).body();
  }

  private void uploadBlob(String repository, byte[] bytes, String digest) throws IOException, InterruptedException {
    HttpResponse<byte[]> started = send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()), 202);
    String location = started.headers().firstValue("Location").orElseThrow();
    URI upload = uri("/").resolve(location);
    String separator = upload.getQuery() == null ? "?" : "&";
    send(HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
  }

  private void mountBlob(String repository, String digest) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/?mount=" + digest + "&from=" + baseRepository))
        .POST(HttpRequest.BodyPublishers.noBody()), 201);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request, int expectedStatus)
      throws IOException, InterruptedException {
    HttpRequest built = request.build();
    HttpResponse<byte[]> response = http.send(built, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != expectedStatus) {
      throw new IOException(built.method() + " " + built.uri() + " returned " + response.statusCode()
          + ", expected " + expectedStatus);
    }
    return response;
  }

  private URI uri(String path) {
    return URI.create("http://" + registry + path);
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
