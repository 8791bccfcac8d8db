package dev.depotrunner.steps.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SavedTagTest {

  private static final String REGISTRY = "registry.depot.dev";

  @Test
  void projectAndTag() {
    var tag = PullStep.SavedTag.parse("abc123:v1", REGISTRY).orElseThrow();

    assertEquals("abc123", tag.projectId());
    assertEquals("v1", tag.tag());
    assertEquals("registry.depot.dev/abc123:v1", tag.reference());
  }

  @Test
  void registryReference() {
    var tag = PullStep.SavedTag.parse("127.0.0.1:5002/abc123:latest", "127.0.0.1:5002").orElseThrow();

    assertEquals("abc123", tag.projectId());
    assertEquals("latest", tag.tag());
  }

  @Test
  void buildIdIsNoTag() {
    assertEquals(Optional.empty(), PullStep.SavedTag.parse("build-1234", REGISTRY));
  }

  @Test
  void otherRegistryIsNoTag() {
    assertTrue(PullStep.SavedTag.parse("docker.io/library/app:v1", REGISTRY).isEmpty());
    assertTrue(PullStep.SavedTag.parse("abc123:", REGISTRY).isEmpty());
  }
}
