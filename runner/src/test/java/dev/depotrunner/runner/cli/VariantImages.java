package dev.depotrunner.runner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes variants of the local base image to the unauthenticated registry of scripts/local-env.
 * A variant has the base image's layers, one more layer with a file of random bytes, and a config
 * with one more label, so each variant has its own digest and a layer no engine has yet. Bake
 * tests use one variant per target to tell the targets' images apart.
 */
final class VariantImages {

  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A written variant: its reference and the digest of its own layer. */
  record Variant(String reference, String layerDigest) {}

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
   * Writes the base image with label {@code dev.depotrunner.variant=<variant>} and a layer of
   * {@code layerBytes} random bytes to {@code repository:variant}.
   */
  Variant write(String repository, String variant, int layerBytes) throws IOException, InterruptedException {
    ObjectNode manifest = (ObjectNode) JSON.readTree(get("/v2/" + baseRepository + "/manifests/" + baseTag));
    ObjectNode config = (ObjectNode) JSON.readTree(
        get("/v2/" + baseRepository + "/blobs/" + manifest.path("config").path("digest").asText()));

    byte[] layer = tar("variant", randomBytes(layerBytes));
    String layerDigest = digest(layer);
    uploadBlob(repository, layer, layerDigest);
    config.with("rootfs").withArray("diff_ids").add(layerDigest);
    config.with("config").with("Labels").put("dev.depotrunner.variant", variant);
    byte[] configBytes = JSON.writeValueAsBytes(config);
    String configDigest = digest(configBytes);
    uploadBlob(repository, configBytes, configDigest);
    for (var baseLayer : manifest.path("layers")) {
      mountBlob(repository, baseLayer.path("digest").asText());
    }

    manifest.withArray("layers").addObject()
        .put("mediaType", "application/vnd.oci.image.layer.v1.tar")
        .put("digest", layerDigest)
        .put("size", layer.length);
    ObjectNode configDescriptor = (ObjectNode) manifest.get("config");
    configDescriptor.put("digest", configDigest);
    configDescriptor.put("size", configBytes.length);
    send(HttpRequest.newBuilder(uri("/v2/" + repository + "/manifests/" + variant))
        .header("Content-Type", MANIFEST_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(manifest))), 201);
    return new Variant(registry + "/" + repository + ":" + variant, layerDigest);
  }

  /** Returns a POSIX tar archive of one regular file, as an uncompressed image layer. */
  private static byte[] tar(String name, byte[] content) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", content.length));
    put(header, 136, "00000000000");
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    // The checksum is the sum of the header's bytes with its own field counted as spaces.
    Arrays.fill(header, 148, 156, (byte) ' ');
    int checksum = 0;
    for (byte value : header) {
      checksum += value & 0xff;
    }
    put(header, 148, String.format("%06o", checksum));
    header[155] = ' ';

    int padded = (content.length + 511) / 512 * 512;
    byte[] archive = new byte[512 + padded + 1024];
    System.arraycopy(header, 0, archive, 0, 512);
    System.arraycopy(content, 0, archive, 512, content.length);
    return archive;
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
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
