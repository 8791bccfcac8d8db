package dev.depotrunner.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

  private static final String CONFIG =
      "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  private static final String LAYER =
      "sha256:2222222222222222222222222222222222222222222222222222222222222222";

  @Test
  void parseIndexListsChildren() {
    byte[] bytes = """
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",
         "manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
           "digest":"%s","size":7,"annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}
        """.formatted(CONFIG).getBytes(StandardCharsets.UTF_8);

    Manifest manifest = Manifest.parse(bytes, "application/vnd.oci.image.index.v1+json");

    assertTrue(manifest.isIndex());
    assertEquals(List.of(new Descriptor(Manifest.OCI_MANIFEST, CONFIG, 7)), manifest.references());
    assertArrayEquals(bytes, manifest.bytes());
    assertEquals(Manifest.sha256(bytes), manifest.digest());
  }

  @Test
  void parseImageListsConfigAndLayers() {
    byte[] bytes = image("application/vnd.docker.distribution.manifest.v2+json");

    Manifest manifest = Manifest.parse(bytes, "application/vnd.docker.distribution.manifest.v2+json");

    assertFalse(manifest.isIndex());
    assertEquals(2, manifest.references().size());
    assertEquals(CONFIG, manifest.references().get(0).digest());
    assertEquals(LAYER, manifest.references().get(1).digest());
    assertEquals(30, manifest.references().get(1).size());
  }

  @Test
  void parseReadsMediaTypeFieldForGenericContentType() {
    Manifest manifest = Manifest.parse(image(Manifest.OCI_MANIFEST), "application/json");

    assertEquals(Manifest.OCI_MANIFEST, manifest.mediaType());
  }

  @Test
  void parseRejectsSchemaOne() {
    byte[] bytes = "{\"schemaVersion\":1,\"mediaType\":\"application/vnd.docker.distribution.manifest.v1+prettyjws\"}"
        .getBytes(StandardCharsets.UTF_8);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Manifest.parse(bytes, "application/vnd.docker.distribution.manifest.v1+prettyjws"));

    assertTrue(error.getMessage().contains("unsupported manifest media type"), error.getMessage());
  }

  @Test
  void parseRejectsInvalidDigest() {
    byte[] bytes = "{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"digest\":\"../x\"}]}"
        .getBytes(StandardCharsets.UTF_8);

    assertThrows(IllegalArgumentException.class, () -> Manifest.parse(bytes, ""));
  }

  @Test
  void foreignLayerIsNonDistributable() {
    assertTrue(new Descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", LAYER, 1)
        .isNonDistributable());
    assertFalse(new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", LAYER, 1)
        .isNonDistributable());
  }

  private static byte[] image(String mediaType) {
    return """
        {"schemaVersion":2,"mediaType":"%s",
         "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":10},
         "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":30}]}
        """.formatted(mediaType, CONFIG, LAYER).getBytes(StandardCharsets.UTF_8);
  }
}
