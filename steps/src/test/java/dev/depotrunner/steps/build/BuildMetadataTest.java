package dev.depotrunner.steps.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildMetadataTest {

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void exporterResponse_decodesBase64Json() {
    String descriptor = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":480}";
    var metadata = BuildMetadata.fromExporterResponse(Map.of(
        "containerimage.descriptor", base64(descriptor),
        "containerimage.digest", "sha256:abc",
        "image.name", "127.0.0.1:5000/demo/hello:1"));

    assertTrue(metadata.get("containerimage.descriptor").isObject());
    assertEquals(480, metadata.get("containerimage.descriptor").get("size").asInt());
    assertEquals("sha256:abc", metadata.get("containerimage.digest").asText());
    assertEquals("127.0.0.1:5000/demo/hello:1", metadata.get("image.name").asText());
  }

  @Test
  void exporterResponse_keepsBase64OfNonObjects() {
    String encodedNumber = base64("42");
    var metadata = BuildMetadata.fromExporterResponse(Map.of("some.key", encodedNumber));

    assertEquals(encodedNumber, metadata.get("some.key").asText());
  }

  @Test
  void imageId_prefersConfigDigest() {
    assertEquals("sha256:config", BuildMetadata.imageId(Map.of(
        "containerimage.digest", "sha256:manifest", "containerimage.config.digest", "sha256:config")));
    assertEquals("sha256:manifest", BuildMetadata.imageId(Map.of("containerimage.digest", "sha256:manifest")));
    assertEquals("", BuildMetadata.imageId(Map.of()));
  }

  @Test
  void write_replacesFileWholly(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("meta/metadata.json");
    BuildMetadata.write(file, BuildMetadata.fromExporterResponse(Map.of("containerimage.digest", "sha256:1")));
    BuildMetadata.write(file, BuildMetadata.fromExporterResponse(Map.of("containerimage.digest", "sha256:2")));

    assertTrue(Files.readString(file).contains("sha256:2"));
    try (var entries = Files.list(file.getParent())) {
      assertEquals(1, entries.count());
    }
  }

  @Test
  void write_indentsAsGo(@TempDir Path folder) throws Exception {
    String descriptor = Base64.getEncoder().encodeToString(
        "{\"mediaType\":\"m\",\"platforms\":[\"a\",\"b\"],\"annotations\":{},\"urls\":[]}".getBytes(StandardCharsets.UTF_8));
    Path file = folder.resolve("metadata.json");

    BuildMetadata.write(file, BuildMetadata.fromExporterResponse(
        Map.of("containerimage.descriptor", descriptor, "containerimage.digest", "sha256:1")));

    assertEquals("""
        {
          "containerimage.descriptor": {
            "mediaType": "m",
            "platforms": [
              "a",
              "b"
            ],
            "annotations": {},
            "urls": []
          },
          "containerimage.digest": "sha256:1"
        }""", Files.readString(file));
  }

  @Test
  void addDepotBuild_keepsExporterEntries(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("metadata.json");
    BuildMetadata.write(file, BuildMetadata.fromExporterResponse(Map.of("containerimage.digest", "sha256:1")));

    BuildMetadata.addDepotBuild(file, "build-1", "project-1");

    assertEquals("""
        {
          "containerimage.digest": "sha256:1",
          "depot.build": {
            "buildID": "build-1",
            "projectID": "project-1"
          }
        }""", Files.readString(file));
  }
}
