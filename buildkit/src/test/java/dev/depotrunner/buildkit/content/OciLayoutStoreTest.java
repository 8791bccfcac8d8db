package dev.depotrunner.buildkit.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {

  @TempDir Path folder;

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Digest sha512(String text) throws Exception {
    byte[] hash = MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8));
    return new Digest("sha512", HexFormat.of().formatHex(hash));
  }

  @Test
  void commitWithSha512Expected() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(folder);
    Digest expected = sha512("payload");

    try (BlobWriter writer = store.writer("ref", 0, expected)) {
      writer.write(bytes("payload"));
      assertEquals(expected, writer.commit(7, expected));
    }

    assertArrayEquals("payload".getBytes(StandardCharsets.UTF_8), store.readBlob(expected));
    assertTrue(Files.exists(folder.resolve("blobs/sha512/" + expected.encoded())));
  }

  @Test
  void commitRehashesForOtherAlgorithm() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(folder);
    Digest expected = sha512("payload");

    try (BlobWriter writer = store.writer("ref", 0, null)) {
      writer.write(bytes("payload"));
      assertEquals(expected, writer.commit(0, expected));
    }

    assertEquals(7, store.info(expected).orElseThrow().size());
  }

  @Test
  void resumeContinuesAtOffset() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(folder);
    try (BlobWriter writer = store.writer("ref", 11, null)) {
      writer.write(bytes("hello "));
    }

    try (BlobWriter writer = store.writer("ref", 11, null)) {
      assertEquals(6, writer.status().offset());
      assertEquals(11, writer.status().total());
      writer.write(bytes("world"));
      assertEquals(Digest.sha256("hello world".getBytes(StandardCharsets.UTF_8)), writer.commit(11, null));
    }
  }

  @Test
  void resumeWithOtherTotalRestarts() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(folder);
    try (BlobWriter writer = store.writer("ref", 100, null)) {
      writer.write(bytes("stale data"));
    }

    try (BlobWriter writer = store.writer("ref", 5, null)) {
      assertEquals(0, writer.status().offset());
      writer.write(bytes("fresh"));
      assertEquals(Digest.sha256("fresh".getBytes(StandardCharsets.UTF_8)), writer.commit(5, null));
    }
  }

  @Test
  void ingestFilesMatchContainerdLayout() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(folder);
    try (BlobWriter writer = store.writer("my-ref", 42, null)) {
      writer.write(bytes("abc"));
    }

    Path ingest = folder.resolve("ingest/" + Digest.sha256("my-ref".getBytes(StandardCharsets.UTF_8)).encoded());
    assertEquals("my-ref", Files.readString(ingest.resolve("ref")));
    assertEquals("42", Files.readString(ingest.resolve("total")));
    assertEquals("abc", Files.readString(ingest.resolve("data")));
    Instant.parse(Files.readString(ingest.resolve("startedat")));
    assertEquals(3, store.status("my-ref").offset());
  }

  @Test
  void readsGoTimestampWithOffset() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(folder);
    try (BlobWriter writer = store.writer("go", 0, null)) {
      writer.write(bytes("x"));
    }
    Path ingest = folder.resolve("ingest/" + Digest.sha256("go".getBytes(StandardCharsets.UTF_8)).encoded());
    Files.writeString(ingest.resolve("startedat"), "2024-05-01T12:00:00.123456789+02:00");

    assertEquals(Instant.parse("2024-05-01T10:00:00.123456789Z"), store.status("go").startedAt());
  }

  @Test
  void writeAfterCommitFails() throws Exception {
    OciLayoutStore store = OciLayoutStore.open(folder);
    BlobWriter writer = store.writer("ref", 0, null);
    writer.write(bytes("x"));
    writer.commit(0, null);

    StoreException error = assertThrows(StoreException.class, () -> writer.write(bytes("y")));
    assertEquals(StoreException.Kind.FAILED_PRECONDITION, error.kind());
    writer.close();
  }

  @Test
  void digestParsing() {
    Digest digest = Digest.parse("sha256:" + "a".repeat(64));
    assertEquals("sha256", digest.algorithm());
    assertEquals("sha256:" + "a".repeat(64), digest.toString());
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:" + "A".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:abc"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("md5:" + "a".repeat(32)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("nocolon"));
  }
}
