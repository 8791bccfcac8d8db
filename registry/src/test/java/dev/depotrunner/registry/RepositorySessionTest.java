package dev.depotrunner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RepositorySessionTest {

  @Test
  void parametersOfBearerChallenge() {
    Map<String, String> parameters = RepositorySession.parameters(
        "Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
            + "scope=\"repository:app:pull\"");

    assertEquals("https://auth.example/token", parameters.get("realm"));
    assertEquals("registry.example", parameters.get("service"));
    assertEquals("repository:app:pull", parameters.get("scope"));
  }

  @Test
  void describeErrorsJoinsCodes() {
    String body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"},"
        + "{\"code\":\"DENIED\",\"message\":\"no\"}]}";

    assertEquals(": MANIFEST_UNKNOWN manifest unknown; DENIED no",
        RepositorySession.describeErrors(body));
  }

  @Test
  void describeErrorsKeepsFirstLineOfText() {
    assertEquals(": upstream down", RepositorySession.describeErrors("upstream down\nmore"));
    assertEquals("", RepositorySession.describeErrors(""));
  }

  @Test
  void loopbackRegistriesUseHttp() {
    assertTrue(ImageName.parse("127.0.0.1:5000/app").isLoopback());
    assertTrue(ImageName.parse("localhost:5000/app").isLoopback());
    assertFalse(ImageName.parse("registry.depot.dev/app").isLoopback());
  }
}
