package dev.depotrunner.buildkit.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.buildkit.proto.control.CacheOptionsEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoresTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;

  private final List<String> warnings = new ArrayList<>();

  private static CacheOptionsEntry entry(String type, Map<String, String> attrs) {
    return CacheOptionsEntry.newBuilder().setType(type).putAllAttrs(attrs).build();
  }

  private static String descriptorJson(Digest digest, long size, String mediaType) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  /** Commits {@code content} to the store and returns its digest. */
  private static Digest put(OciLayoutStore store, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    try (BlobWriter writer = store.writer("ref-" + Digest.sha256(bytes).encoded(), 0, null)) {
      writer.write(java.nio.ByteBuffer.wrap(bytes));
      return writer.commit(bytes.length, null);
    }
  }

  @Test
  void cacheExportServesStoreAndRecordsManifest() throws Exception {
    String dest = folder.resolve("cache").toString();
    ContentStores stores = ContentStores.builder()
        .cacheExports(List.of(entry("local", Map.of("dest", dest, "mode", "max"))))
        .build();

    assertTrue(Files.isDirectory(Path.of(dest)), "the cache folder is created before the Solve");
    assertEquals(Set.of("local:" + dest), stores.service().orElseThrow().storeIds());
    assertEquals(1, stores.cacheOptions().getExportsCount());
    assertEquals("max", stores.cacheOptions().getExports(0).getAttrsMap().get("mode"));
    assertEquals(Map.of(), stores.frontendAttributes());

    Digest manifest = Digest.sha256("manifest".getBytes(StandardCharsets.UTF_8));
    stores.finishSolve(Map.of(
        ContentStores.CACHE_MANIFEST_KEY, descriptorJson(manifest, 8, "application/vnd.oci.image.manifest.v1+json")));

    var latest = new OciIndex(Path.of(dest)).get("latest").orElseThrow();
    assertEquals(manifest.toString(), latest.get("digest").asText());
    assertEquals(8, latest.get("size").asLong());
  }

  @Test
  void cacheExportUsesTag() throws Exception {
    String dest = folder.resolve("cache").toString();
    ContentStores stores = ContentStores.builder()
        .cacheExports(List.of(entry("local", Map.of("dest", dest, "tag", "main"))))
        .build();
    Digest manifest = Digest.sha256("m".getBytes(StandardCharsets.UTF_8));

    stores.finishSolve(Map.of(ContentStores.CACHE_MANIFEST_KEY, descriptorJson(manifest, 1, "application/vnd.oci.image.index.v1+json")));

    assertTrue(new OciIndex(Path.of(dest)).get("main").isPresent());
    assertTrue(new OciIndex(Path.of(dest)).get("latest").isEmpty());
  }

  @Test
  void noStoresWithoutLocalOptions() throws Exception {
    ContentStores stores = ContentStores.builder()
        .cacheExports(List.of(entry("registry", Map.of("ref", "localhost:5000/cache"))))
        .cacheImports(List.of(entry("gha", Map.of())))
        .build();

    assertTrue(stores.service().isEmpty());
    assertEquals(1, stores.cacheOptions().getImportsCount());
    assertEquals("[{\"Type\":\"gha\"}]", stores.frontendAttributes().get(ContentStores.CACHE_IMPORTS_ATTRIBUTE));
    stores.finishSolve(Map.of());
  }

  @Test
  void cacheImportResolvesDigestFromIndex() throws Exception {
    Path cache = folder.resolve("cache");
    OciLayoutStore store = OciLayoutStore.open(cache);
    Digest manifest = put(store, "{\"layers\":[]}");
    new OciIndex(cache).put((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
        descriptorJson(manifest, 13, "application/vnd.oci.image.manifest.v1+json")), List.of(OciIndex.Name.tag("latest")));

    ContentStores stores = ContentStores.builder()
        .cacheImports(List.of(entry("local", Map.of("src", cache.toString()))))
        .warnings(warnings::add)
        .build();

    assertEquals(List.of(), warnings);
    CacheOptionsEntry resolved = stores.cacheOptions().getImports(0);
    assertEquals(manifest.toString(), resolved.getAttrsMap().get("digest"));
    assertEquals(Set.of("local:" + cache), stores.service().orElseThrow().storeIds());
    assertEquals(
        "[{\"Type\":\"local\",\"Attrs\":{\"digest\":\"" + manifest + "\",\"src\":\"" + cache + "\"}}]",
        stores.frontendAttributes().get(ContentStores.CACHE_IMPORTS_ATTRIBUTE));
  }

  @Test
  void cacheImportWithExplicitDigest() throws Exception {
    Path cache = folder.resolve("cache");
    Digest blob = put(OciLayoutStore.open(cache), "cache manifest");

    ContentStores stores = ContentStores.builder()
        .cacheImports(List.of(entry("local", Map.of("src", cache.toString(), "digest", blob.toString()))))
        .warnings(warnings::add)
        .build();

    assertEquals(List.of(), warnings);
    assertEquals(blob.toString(), stores.cacheOptions().getImports(0).getAttrsMap().get("digest"));
  }

  @Test
  void cacheImportSkippedWithWarning() throws Exception {
    Path empty = Files.createDirectories(folder.resolve("empty"));
    Path tagged = folder.resolve("tagged");
    new OciIndex(Files.createDirectories(tagged)).put(
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
            descriptorJson(Digest.sha256(new byte[] {1}), 1, "application/vnd.oci.image.manifest.v1+json")),
        List.of(OciIndex.Name.tag("latest")));

    ContentStores stores = ContentStores.builder()
        .cacheImports(List.of(
            entry("local", Map.of("src", folder.resolve("missing").toString())),
            entry("local", Map.of("src", empty.toString())),
            entry("local", Map.of("src", tagged.toString(), "tag", "other")),
            entry("local", Map.of("src", tagged.toString()))))
        .warnings(warnings::add)
        .build();

    assertEquals(0, stores.cacheOptions().getImportsCount());
    assertTrue(stores.service().isEmpty());
    assertEquals(Map.of(), stores.frontendAttributes());
    assertEquals(4, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).endsWith("missing not found"), warnings.get(0));
    assertTrue(warnings.get(1).contains("index.json not found"), warnings.get(1));
    assertTrue(warnings.get(2).endsWith("no digest found for tag other"), warnings.get(2));
    assertTrue(warnings.get(3).contains("unavailable"), warnings.get(3));
    assertFalse(Files.exists(folder.resolve("missing")), "a missing import folder is not created");
  }

  @Test
  void invalidOptionsFail() {
    List<ContentStores.Builder> invalid = List.of(
        ContentStores.builder().cacheExports(List.of(entry("local", Map.of()))),
        ContentStores.builder().cacheExports(List.of(entry("registry", Map.of()))),
        ContentStores.builder().cacheExports(List.of(entry("local", Map.of("dest", folder.toString(), "reset", "yes")))),
        ContentStores.builder().cacheImports(List.of(entry("local", Map.of()))),
        ContentStores.builder().cacheImports(List.of(entry("registry", Map.of()))),
        ContentStores.builder().cacheImports(List.of(entry("local", Map.of("src", folder.toString(), "tag", "")))),
        ContentStores.builder().exportDirectory(folder.resolve("a")).exportDirectory(folder.resolve("b")),
        ContentStores.builder().ociLayout("ctx", folder.resolve("a")).ociLayout("ctx", folder.resolve("b")));

    for (ContentStores.Builder builder : invalid) {
      assertThrows(ContentStoreException.class, builder::build);
    }
  }

  @Test
  void exportRecordsImageUnderNames() throws Exception {
    Path export = folder.resolve("out");
    ContentStores stores = ContentStores.builder().exportDirectory(export).build();
    assertEquals(Set.of(ContentStores.EXPORT_STORE_ID), stores.service().orElseThrow().storeIds());

    Digest image = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    String descriptor = descriptorJson(image, 5, "application/vnd.oci.image.index.v1+json");
    stores.finishSolve(Map.of(
        ContentStores.IMAGE_DESCRIPTOR_KEY, Base64.getEncoder().encodeToString(descriptor.getBytes(StandardCharsets.UTF_8)),
        ContentStores.IMAGE_NAME_KEY, "docker.io/library/app:1.0,docker.io/library/app:latest"));

    JsonNode manifests = new OciIndex(export).read().get("manifests");
    assertEquals(2, manifests.size());
    assertEquals("1.0", manifests.get(0).get("annotations").get(OciIndex.REF_NAME_ANNOTATION).asText());
    assertEquals("docker.io/library/app:latest",
        manifests.get(1).get("annotations").get(OciIndex.IMAGE_NAME_ANNOTATION).asText());
    assertTrue(Files.exists(export.resolve("oci-layout")));
  }

  @Test
  void exportWithoutNameIsLatest() throws Exception {
    Path export = folder.resolve("out");
    ContentStores stores = ContentStores.builder().exportDirectory(export).build();
    Digest image = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));
    String descriptor = descriptorJson(image, 5, "application/vnd.oci.image.manifest.v1+json");

    stores.finishSolve(Map.of(
        ContentStores.IMAGE_DESCRIPTOR_KEY, Base64.getEncoder().encodeToString(descriptor.getBytes(StandardCharsets.UTF_8))));

    assertEquals(image.toString(), new OciIndex(export).get("latest").orElseThrow().get("digest").asText());
  }

  @Test
  void invalidDescriptorFails() throws Exception {
    ContentStores stores = ContentStores.builder()
        .exportDirectory(folder.resolve("out"))
        .cacheExports(List.of(entry("local", Map.of("dest", folder.resolve("cache").toString()))))
        .build();

    assertThrows(ContentStoreException.class,
        () -> stores.finishSolve(Map.of(ContentStores.IMAGE_DESCRIPTOR_KEY, "not base64!")));
    assertThrows(ContentStoreException.class,
        () -> stores.finishSolve(Map.of(ContentStores.CACHE_MANIFEST_KEY, "{\"size\":1}")));
  }

  @Test
  void resetDeletesUnreferencedBlobs() throws Exception {
    Path cache = folder.resolve("cache");
    OciLayoutStore store = OciLayoutStore.open(cache);
    Digest stale = put(store, "stale layer from an earlier build");
    Digest layer = put(store, "layer");
    Digest config = put(store, "config");
    String manifestJson = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":" + descriptorJson(config, 6, "application/vnd.buildkit.cacheconfig.v0") + ","
        + "\"layers\":[" + descriptorJson(layer, 5, "application/vnd.oci.image.layer.v1.tar+gzip") + "]}";
    Digest manifest = put(store, manifestJson);

    ContentStores stores = ContentStores.builder()
        .cacheExports(List.of(entry("local", Map.of("dest", cache.toString(), "reset", "true"))))
        .warnings(warnings::add)
        .build();
    stores.finishSolve(Map.of(ContentStores.CACHE_MANIFEST_KEY,
        descriptorJson(manifest, manifestJson.length(), "application/vnd.oci.image.manifest.v1+json")));

    assertEquals(List.of(), warnings);
    assertFalse(store.info(stale).isPresent());
    assertTrue(store.info(layer).isPresent());
    assertTrue(store.info(config).isPresent());
    assertTrue(store.info(manifest).isPresent());
  }

  @Test
  void ociLayoutContextStore() throws Exception {
    ContentStores stores = ContentStores.builder().ociLayout("abc123", folder.resolve("layout")).build();

    assertEquals(Set.of("oci:abc123"), stores.service().orElseThrow().storeIds());
  }

  @Test
  void cacheImportsAttributeFormat() {
    String json = ContentStores.cacheImportsAttribute(List.of(
        entry("registry", Map.of("ref", "localhost:5000/cache")),
        entry("local", Map.of("src", "/c", "digest", "sha256:x"))));

    assertEquals(
        "[{\"Type\":\"registry\",\"Attrs\":{\"ref\":\"localhost:5000/cache\"}},"
            + "{\"Type\":\"local\",\"Attrs\":{\"digest\":\"sha256:x\",\"src\":\"/c\"}}]",
        json);
  }
}
