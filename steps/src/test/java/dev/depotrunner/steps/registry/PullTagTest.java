package dev.depotrunner.steps.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PullTagTest {

  @Test
  void nameWithoutTagIsLatest() {
    assertEquals(new PullTag("app", "latest"), PullTag.parse("app"));
  }

  @Test
  void registryPortIsNotTag() {
    assertEquals(new PullTag("127.0.0.1:5000/team/app", "latest"), PullTag.parse("127.0.0.1:5000/team/app"));
    assertEquals(new PullTag("127.0.0.1:5000/team/app", "v1.2"), PullTag.parse("127.0.0.1:5000/team/app:v1.2"));
  }

  @Test
  void invalidNamesRejected() {
    assertThrows(IllegalArgumentException.class, () -> PullTag.parse("App:v1"));
    assertThrows(IllegalArgumentException.class, () -> PullTag.parse("app:"));
    assertThrows(IllegalArgumentException.class, () -> PullTag.parse("app@sha256:" + "0".repeat(64)));
    assertThrows(IllegalArgumentException.class, () -> PullTag.parse(""));
  }

  @Test
  void toStringJoinsNameAndTag() {
    assertEquals("team/app:v1", PullTag.parse("team/app:v1").toString());
  }
}
