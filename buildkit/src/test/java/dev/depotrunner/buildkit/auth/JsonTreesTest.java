package dev.depotrunner.buildkit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void readMatchesObjectMapper() throws IOException {
    List<String> documents = List.of(
        "{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"dXNlcjpwYXNz\"}},\"credsStore\":\"desktop\"}",
        "{\"a\":1,\"b\":4294967296,\"c\":123456789012345678901234567890,\"d\":1.5,\"e\":true,\"f\":false,\"g\":null}",
        "{\"list\":[1,\"two\",[3],{\"four\":4}],\"empty\":{},\"none\":[]}",
        "{\"key\":\"first\",\"key\":\"last\"}",
        "{\"a\":1} trailing",
        "[]",
        "\"text\"",
        "null");
    for (String document : documents) {
      assertEquals(MAPPER.readTree(document), JsonTrees.read(document), document);
      assertEquals(MAPPER.readTree(document.getBytes(StandardCharsets.UTF_8)),
          JsonTrees.read(document.getBytes(StandardCharsets.UTF_8)), document);
    }
  }

  @Test
  void readEmptyInputReturnsMissingNode() throws IOException {
    assertTrue(JsonTrees.read("").isMissingNode());
    assertTrue(JsonTrees.read("  \n").isMissingNode());
  }

  @Test
  void readRejectsMalformedJson() {
    assertThrows(IOException.class, () -> JsonTrees.read("{\"auths\":"));
    assertThrows(IOException.class, () -> JsonTrees.read("{\"auths\":{}"));
    assertThrows(IOException.class, () -> JsonTrees.read("[1,2"));
    assertThrows(IOException.class, () -> JsonTrees.read("{auths:{}}"));
    assertThrows(IOException.class, () -> JsonTrees.read("not json"));
  }
}
