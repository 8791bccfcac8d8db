package dev.depotrunner.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Assembles an OCI image index from the manifest descriptors of several images. */
final class ImageIndex {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageIndex() {}

  /**
   * Returns the index's bytes: every descriptor in order, each digest once, with {@code annotations}
   * sorted by key. Descriptors are kept field for field, so an attestation manifest keeps the annotations
   * that tie it to its image.
   */
  static byte[] assemble(List<JsonNode> descriptors, Map<String, String> annotations) {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", Manifest.OCI_INDEX);
    ArrayNode manifests = index.putArray("manifests");
    Set<String> digests = new LinkedHashSet<>();
    for (JsonNode descriptor : descriptors) {
      if (digests.add(descriptor.path("digest").asText())) {
        manifests.add(descriptor);
      }
    }
    if (!annotations.isEmpty()) {
      ObjectNode annotationNode = index.putObject("annotations");
      new TreeMap<>(annotations).forEach(annotationNode::put);
    }

    try {
      return JSON.writeValueAsBytes(index);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an index of plain JSON nodes always serializes", e);
    }
  }

  /**
   * Returns the descriptor of a single image manifest for an index, with the platform that its config
   * names ({@code os}, {@code architecture}, and {@code variant}, {@code os.version} and
   * {@code os.features} when set).
   */
  static ObjectNode describe(Manifest manifest, JsonNode config) {
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("mediaType", manifest.mediaType());
    descriptor.put("digest", manifest.digest());
    descriptor.put("size", manifest.bytes().length);
    ObjectNode platform = descriptor.putObject("platform");
    platform.put("architecture", config.path("architecture").asText());
    platform.put("os", config.path("os").asText());
    for (String field : List.of("os.version", "variant")) {
      String value = config.path(field).asText("");
      if (!value.isEmpty()) {
        platform.put(field, value);
      }
    }
    if (config.path("os.features").isArray() && !config.path("os.features").isEmpty()) {
      platform.set("os.features", config.path("os.features"));
    }
    return descriptor;
  }
}
