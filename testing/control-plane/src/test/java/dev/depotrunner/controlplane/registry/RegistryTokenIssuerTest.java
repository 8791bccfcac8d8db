package dev.depotrunner.controlplane.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryTokenIssuerTest {

  @Test
  void accessGrantsEachRepositoryScope() {
    List<Map<String, Object>> access = RegistryTokenIssuer.access(
        List.of("repository:app/web:pull,push", "repository:base:pull"));

    assertEquals(2, access.size());
    assertEquals("repository", access.get(0).get("type"));
    assertEquals("app/web", access.get(0).get("name"));
    assertEquals(List.of("pull", "push"), access.get(0).get("actions"));
    assertEquals("base", access.get(1).get("name"));
    assertEquals(List.of("pull"), access.get(1).get("actions"));
  }

  @Test
  void accessKeepsPortInRepositoryName() {
    List<Map<String, Object>> access =
        RegistryTokenIssuer.access(List.of("repository:host:5000/app:pull"));

    assertEquals("host:5000/app", access.get(0).get("name"));
    assertEquals(List.of("pull"), access.get(0).get("actions"));
  }

  @Test
  void accessSkipsOtherScopeTypes() {
    assertEquals(List.of(), RegistryTokenIssuer.access(List.of("registry:catalog:*", "bogus")));
  }
}
