package dev.depotrunner.buildkit.filesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

  @Test
  void commentsBlankLinesAndTrimming() {
    String content = "# comment\n\n  node_modules  \n #not a comment\n\t\n*.log\n";
    assertEquals(List.of("node_modules", "#not a comment", "*.log"), DockerIgnore.parse(content));
  }

  @Test
  void crlfAndByteOrderMark() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] rest = "node_modules\r\n\r\nbuild\r\n!build/keep\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[bom.length + rest.length];
    System.arraycopy(bom, 0, content, 0, bom.length);
    System.arraycopy(rest, 0, content, bom.length, rest.length);
    assertEquals(List.of("node_modules", "build", "!build/keep"), DockerIgnore.read(new ByteArrayInputStream(content)));
  }

  @Test
  void byteOrderMarkOnlyOnFirstLine() {
    assertEquals(List.of("a", "\uFEFFb"), DockerIgnore.parse("\uFEFFa\n\uFEFFb\n"));
  }

  @Test
  void byteOrderMarkBeforeComment() {
    assertEquals(List.of("a"), DockerIgnore.parse("\uFEFF# comment\na"));
  }

  @Test
  void leadingSlashAndCleaning() {
    assertEquals(
        List.of("src", "a/c", "/", "!docs", "!", "x/y"),
        DockerIgnore.parse("/src\n./a/b/../c/\n/\n! /docs/\n!\n//x//y\n"));
  }

  @Test
  void exclusionKeepsPatternCharacters() {
    assertEquals(List.of("**/*.go", "!**/keep_*.go", "[a-z]?"), DockerIgnore.parse("**/*.go\n!**/keep_*.go\n[a-z]?\n"));
  }

  @Test
  void nonAsciiPatterns() {
    assertEquals(List.of("café", "日本/*.txt"), DockerIgnore.parse("café\n日本/*.txt\n"));
  }

  @Test
  void lineTooLongIsAnError() {
    byte[] content = ("a".repeat(70_000) + "\n").getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> DockerIgnore.read(new ByteArrayInputStream(content)));
  }
}
