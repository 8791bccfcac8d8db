package dev.depotrunner.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A manifest as the registry stored it: its exact bytes, which a copy pushes unchanged so the
 * digest stays the same, and the descriptors it refers to.
 */
record Manifest(String digest, String mediaType, byte[] bytes, List<Descriptor> references) {

  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  /** The media types a copy reads, in the {@code Accept} header of every manifest request. */
  static final List<String> SUPPORTED =
      List.of(OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether this is an index (OCI image index or Docker manifest list). */
  boolean isIndex() {
    return INDEXES.contains(mediaType);
  }

  /**
   * Parses {@code bytes}. The media type comes from the {@code Content-Type} header, or from
   * the manifest's {@code mediaType} field when the header is missing or generic.
   *
   * @throws IllegalArgumentException if the bytes are no supported manifest
   */
  static Manifest parse(byte[] bytes, String contentType) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("manifest is not valid JSON: " + e.getMessage(), e);
    }

    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
    if (!SUPPORTED.contains(mediaType)) {
      mediaType = root.path("mediaType").asText("");
    }
    if (mediaType.isEmpty() && root.has("manifests")) {
      mediaType = OCI_INDEX;
    } else if (mediaType.isEmpty() && root.has("config")) {
      mediaType = OCI_MANIFEST;
    }
    if (!SUPPORTED.contains(mediaType)) {
      throw new IllegalArgumentException(
          "unsupported manifest media type \"" + mediaType + "\"; supported: " + SUPPORTED);
    }

    List<Descriptor> references = new ArrayList<>();
    if (INDEXES.contains(mediaType)) {
      root.path("manifests").forEach(node -> references.add(descriptor(node)));
    } else {
      references.add(descriptor(root.path("config")));
      root.path("layers").forEach(node -> references.add(descriptor(node)));
    }
    return new Manifest(sha256(bytes), mediaType, bytes, List.copyOf(references));
  }

  private static Descriptor descriptor(JsonNode node) {
    String digest = node.path("digest").asText("");
    if (!digest.matches("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+")) {
      throw new IllegalArgumentException("manifest has a descriptor with invalid digest \""
          + digest + "\"");
    }
    return new Descriptor(node.path("mediaType").asText(""), digest, node.path("size").asLong(-1));
  }

  static String sha256(byte[] bytes) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return "sha256:" + HexFormat.of().formatHex(digest.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
