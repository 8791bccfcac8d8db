package dev.depotrunner.buildkit.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciIndexTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;

  private static ObjectNode descriptor(String seed) {
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    descriptor.put("digest", Digest.sha256(seed.getBytes()).toString());
    descriptor.put("size", 123);
    return descriptor;
  }

  @Test
  void putCreatesIndexAndLayout() throws Exception {
    var index = new OciIndex(folder);

    index.put(descriptor("a"), List.of(OciIndex.Name.tag("latest")));

    JsonNode written = JSON.readTree(folder.resolve("index.json").toFile());
    assertEquals(2, written.get("schemaVersion").asInt());
    assertEquals(OciIndex.INDEX_MEDIA_TYPE, written.get("mediaType").asText());
    assertEquals(1, written.get("manifests").size());
    JsonNode entry = written.get("manifests").get(0);
    assertEquals(Digest.sha256("a".getBytes()).toString(), entry.get("digest").asText());
    assertEquals("latest", entry.get("annotations").get(OciIndex.REF_NAME_ANNOTATION).asText());
    assertFalse(entry.get("annotations").has(OciIndex.IMAGE_NAME_ANNOTATION));
    assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(folder.resolve("oci-layout")));
    assertFalse(Files.exists(folder.resolve("index.json.lock")), "the lock file is removed");
  }

  @Test
  void putReplacesSameTagAndKeepsOthers() throws Exception {
    var index = new OciIndex(folder);
    index.put(descriptor("a"), List.of(OciIndex.Name.tag("latest")));
    index.put(descriptor("b"), List.of(OciIndex.Name.tag("v1")));

    index.put(descriptor("c"), List.of(OciIndex.Name.tag("latest")));

    JsonNode manifests = index.read().get("manifests");
    assertEquals(2, manifests.size());
    assertEquals(Digest.sha256("c".getBytes()).toString(), index.get("latest").orElseThrow().get("digest").asText());
    assertEquals(Digest.sha256("b".getBytes()).toString(), index.get("v1").orElseThrow().get("digest").asText());
  }

  @Test
  void putKeepsUnknownFieldsAndDescriptorAnnotations() throws Exception {
    Files.writeString(folder.resolve("index.json"),
        "{\"schemaVersion\":2,\"manifests\":[],\"annotations\":{\"keep\":\"me\"}}");
    ObjectNode descriptor = descriptor("a");
    descriptor.putObject("annotations").put("org.opencontainers.image.created", "2024-01-01T00:00:00Z");

    new OciIndex(folder).put(descriptor, List.of(OciIndex.Name.tag("latest")));

    JsonNode written = JSON.readTree(folder.resolve("index.json").toFile());
    assertEquals("me", written.get("annotations").get("keep").asText());
    JsonNode annotations = written.get("manifests").get(0).get("annotations");
    assertEquals("2024-01-01T00:00:00Z", annotations.get("org.opencontainers.image.created").asText());
    assertEquals("latest", annotations.get(OciIndex.REF_NAME_ANNOTATION).asText());
    assertFalse(descriptor.get("annotations").has(OciIndex.REF_NAME_ANNOTATION), "the input is not changed");
  }

  @Test
  void imageNamesSetBothAnnotations() throws Exception {
    var index = new OciIndex(folder);

    index.put(descriptor("a"), List.of(
        OciIndex.Name.image("docker.io/library/app:1.0"), OciIndex.Name.image("localhost:5000/team/app:edge")));

    JsonNode manifests = index.read().get("manifests");
    assertEquals(2, manifests.size());
    assertEquals("docker.io/library/app:1.0", manifests.get(0).get("annotations").get(OciIndex.IMAGE_NAME_ANNOTATION).asText());
    assertEquals("1.0", manifests.get(0).get("annotations").get(OciIndex.REF_NAME_ANNOTATION).asText());
    assertEquals("edge", manifests.get(1).get("annotations").get(OciIndex.REF_NAME_ANNOTATION).asText());
    assertEquals(Digest.sha256("a".getBytes()).toString(),
        index.get("docker.io/library/app:1.0").orElseThrow().get("digest").asText());
    assertEquals(Digest.sha256("a".getBytes()).toString(), index.get("edge").orElseThrow().get("digest").asText());
  }

  @Test
  void getMissingTagOrIndex() throws Exception {
    var index = new OciIndex(folder);
    assertThrows(NoSuchFileException.class, () -> index.get("latest"));

    index.put(descriptor("a"), List.of(OciIndex.Name.tag("latest")));

    assertTrue(index.get("other").isEmpty());
  }

  @Test
  void referenceNameAsContainerdParses() {
    assertEquals("latest", OciIndex.referenceName("docker.io/library/app:latest"));
    assertEquals("v2", OciIndex.referenceName("localhost:5000/app:v2"));
    assertEquals("@sha256:abc", OciIndex.referenceName("docker.io/library/app@sha256:abc"));
    assertEquals("v1@sha256:abc", OciIndex.referenceName("docker.io/library/app:v1@sha256:abc"));
    assertEquals("", OciIndex.referenceName("docker.io/library/app"));
    assertEquals("", OciIndex.referenceName("localhost:5000"));
    assertEquals("app:latest", OciIndex.referenceName("app:latest"));
    assertEquals("http://x/y", OciIndex.referenceName("http://x/y"));
  }

  @Test
  void concurrentPutsKeepEveryTag() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String tag = "t" + i;
        puts.add(executor.submit(() -> {
          new OciIndex(folder).put(descriptor(tag), List.of(OciIndex.Name.tag(tag)));
          return null;
        }));
      }
      for (Future<?> put : puts) {
        put.get(30, TimeUnit.SECONDS);
      }
    } finally {
      executor.shutdownNow();
    }

    assertEquals(20, new OciIndex(folder).read().get("manifests").size());
  }
}
