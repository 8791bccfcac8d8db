package dev.depotrunner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageIndexTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void assemble_keepsDescriptorsAndAttestations() throws Exception {
    JsonNode amd64 = json("""
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:aa","size":10,
         "platform":{"architecture":"amd64","os":"linux"}}""");
    JsonNode attestation = json("""
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:bb","size":20,
         "annotations":{"vnd.docker.reference.digest":"sha256:aa","vnd.docker.reference.type":"attestation-manifest"},
         "platform":{"architecture":"unknown","os":"unknown"}}""");
    JsonNode arm64 = json("""
        {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:cc","size":30,
         "platform":{"architecture":"arm64","os":"linux"}}""");

    byte[] index = ImageIndex.assemble(List.of(amd64, attestation, arm64, amd64), Map.of("z", "1", "a", "2"));

    JsonNode root = JSON.readTree(index);
    assertEquals(2, root.path("schemaVersion").asInt());
    assertEquals(Manifest.OCI_INDEX, root.path("mediaType").asText());
    assertEquals(3, root.path("manifests").size());
    assertEquals(amd64, root.path("manifests").get(0));
    assertEquals(attestation, root.path("manifests").get(1));
    assertEquals(arm64, root.path("manifests").get(2));
    assertEquals("{\"a\":\"2\",\"z\":\"1\"}", root.path("annotations").toString());
    assertEquals(List.of("linux/amd64", "linux/arm64"), IndexPush.platformsOf(index));
  }

  @Test
  void assemble_omitsEmptyAnnotations() {
    byte[] index = ImageIndex.assemble(List.of(), Map.of());

    assertEquals("{\"schemaVersion\":2,\"mediaType\":\"" + Manifest.OCI_INDEX + "\",\"manifests\":[]}",
        new String(index, StandardCharsets.UTF_8));
  }

  @Test
  void describe_takesPlatformFromConfig() throws Exception {
    byte[] bytes = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:cf","size":2},"layers":[]}"""
        .getBytes(StandardCharsets.UTF_8);
    Manifest manifest = Manifest.parse(bytes, Manifest.OCI_MANIFEST);

    JsonNode descriptor = ImageIndex.describe(manifest, json("{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}"));

    assertEquals(Manifest.OCI_MANIFEST, descriptor.path("mediaType").asText());
    assertEquals(manifest.digest(), descriptor.path("digest").asText());
    assertEquals(bytes.length, descriptor.path("size").asLong());
    assertEquals("{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\"}", descriptor.path("platform").toString());
  }
}
