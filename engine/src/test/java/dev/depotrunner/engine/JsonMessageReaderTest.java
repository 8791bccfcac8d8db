package dev.depotrunner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonMessageReaderTest {

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsObjectsWithAndWithoutNewlines() throws Exception {
    List<JsonMessage> messages = new ArrayList<>();

    JsonMessage aux = JsonMessageReader.read(
        stream("{\"status\":\"a\"}\n{\"status\":\"b\",\"id\":\"l1\"}{\"aux\":{\"ID\":\"sha256:1\"}}\r\n"), "load", messages::add);

    assertEquals(3, messages.size());
    assertEquals("l1", messages.get(1).id());
    assertEquals("sha256:1", aux.aux().path("ID").asText());
  }

  @Test
  void progressDetailKeepsUnits() throws Exception {
    List<JsonMessage> messages = new ArrayList<>();

    JsonMessageReader.read(stream("{\"id\":\"l1\",\"status\":\"Downloading\",\"progressDetail\":{\"current\":5,\"total\":9}}"
        + "{\"id\":\"l1\",\"status\":\"Extracting\",\"progressDetail\":{\"current\":1,\"units\":\"s\"}}"), "pull", messages::add);

    assertEquals(5, messages.get(0).current());
    assertEquals(9, messages.get(0).total());
    assertEquals("", messages.get(0).units());
    assertEquals(1, messages.get(1).current());
    assertEquals("s", messages.get(1).units());
  }

  @Test
  void emptyStreamHasNoAux() throws Exception {
    assertNull(JsonMessageReader.read(stream(""), "load", message -> {}));
  }

  @Test
  void errorWithoutDetailStillFails() {
    EngineException error = assertThrows(
        EngineException.class, () -> JsonMessageReader.read(stream("{\"error\":\"denied: requested access\"}"), "push x", message -> {}));

    assertEquals("push x failed: denied: requested access", error.getMessage());
  }

  @Test
  void errorDetailWinsOverError() {
    EngineException error = assertThrows(EngineException.class, () -> JsonMessageReader.read(
        stream("{\"errorDetail\":{\"code\":1,\"message\":\"detail\"},\"error\":\"short\"}"), "push x", message -> {}));

    assertEquals("push x failed: detail", error.getMessage());
  }

  @Test
  void brokenJsonNamesOperation() {
    EngineException error = assertThrows(
        EngineException.class, () -> JsonMessageReader.read(stream("{\"status\":"), "load", message -> {}));

    assertEquals(true, error.getMessage().startsWith("load failed: invalid JSON"), error.getMessage());
  }
}
