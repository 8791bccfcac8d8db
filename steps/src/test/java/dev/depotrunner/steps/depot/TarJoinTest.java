package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarJoinTest {

  @TempDir Path folder;

  private Path tarball(String name, Map<String, String> files) throws IOException {
    Path path = folder.resolve(name);
    try (OutputStream out = Files.newOutputStream(path); var tar = new TarArchiveOutputStream(out)) {
      for (var file : files.entrySet()) {
        byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
        var entry = new TarArchiveEntry(file.getKey());
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      var link = new TarArchiveEntry("again.txt", TarArchiveEntry.LF_LINK);
      link.setLinkName("greeting.txt");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return path;
  }

  private static Map<String, String> entries(byte[] tarball) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tarball))) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        String value = entry.isLink() ? "-> " + entry.getLinkName() : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        entries.put(entry.getName(), value);
      }
    }
    return entries;
  }

  @Test
  void write_movesSinglePlatformIntoFolder() throws Exception {
    Path amd64 = tarball("amd64.tar", Map.of("greeting.txt", "amd64"));
    Path arm = tarball("arm.tar", Map.of("linux_arm64/greeting.txt", "arm64", "linux_arm_v7/greeting.txt", "arm"));
    var out = new ByteArrayOutputStream();

    TarJoin.write(List.of(new TarJoin.Part(amd64, Optional.of("linux_amd64")), new TarJoin.Part(arm, Optional.empty())), out);

    Map<String, String> entries = entries(out.toByteArray());
    assertEquals("amd64", entries.get("linux_amd64/greeting.txt"));
    assertEquals("-> linux_amd64/greeting.txt", entries.get("linux_amd64/again.txt"));
    assertEquals("", entries.get("linux_amd64/"));
    assertEquals("arm64", entries.get("linux_arm64/greeting.txt"));
    assertEquals("arm", entries.get("linux_arm_v7/greeting.txt"));
    assertEquals("-> greeting.txt", entries.get("again.txt"), "a part with platform folders is copied unchanged");
    assertEquals(6, entries.size(), entries.toString());
  }
}
