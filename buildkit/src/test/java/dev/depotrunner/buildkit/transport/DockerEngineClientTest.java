package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerEngineClientTest {

  private static Map<String, String> fields(String json) throws IOException {
    return DockerEngineClient.topLevelFields(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void topLevelFieldsReadsVersionResponse() throws IOException {
    Map<String, String> fields = fields("""
        {"Platform":{"Name":"Docker Engine"},"Components":[{"Name":"Engine"}],
         "Version":"28.5.2","ApiVersion":"1.51","MinAPIVersion":"1.24","Os":"linux","Experimental":false}""");

    assertEquals("28.5.2", fields.get("Version"));
    assertEquals("1.51", fields.get("ApiVersion"));
    assertEquals("1.24", fields.get("MinAPIVersion"));
    assertEquals("false", fields.get("Experimental"));
    assertEquals("", fields.get("Platform"));
    assertEquals("", fields.get("Components"));
  }

  @Test
  void topLevelFieldsSkipsNullValues() throws IOException {
    Map<String, String> fields = fields("{\"message\":\"first\",\"message\":null}");

    assertFalse(fields.containsKey("message"));
  }

  @Test
  void topLevelFieldsRejectsOtherJson() {
    assertThrows(IOException.class, () -> fields("[\"message\"]"));
    assertThrows(IOException.class, () -> fields("\"message\""));
    assertThrows(IOException.class, () -> fields(""));
    assertThrows(IOException.class, () -> fields("{\"message\":\"cut"));
    assertThrows(IOException.class, () -> fields("{\"message\":\"no end\""));
    assertThrows(IOException.class, () -> fields("page not found"));
  }
}
