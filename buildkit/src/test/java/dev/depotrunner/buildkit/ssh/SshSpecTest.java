package dev.depotrunner.buildkit.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SshSpecTest {

  @Test
  void parseAcceptedForms() {
    assertEquals(new SshSpec("default", List.of()), SshSpec.parse("default"));
    assertEquals(new SshSpec("github", List.of()), SshSpec.parse("github"));
    assertEquals(new SshSpec("deploy", List.of("/keys/id_ed25519")), SshSpec.parse("deploy=/keys/id_ed25519"));
    assertEquals(new SshSpec("two", List.of("/a", "/b")), SshSpec.parse("two=/a,/b"));
    assertEquals(new SshSpec("default", List.of("/run/agent.sock")), SshSpec.parse("=/run/agent.sock"));
    assertEquals(new SshSpec("blank", List.of("")), SshSpec.parse("blank="));
    assertEquals(new SshSpec("eq", List.of("/a=b")), SshSpec.parse("eq=/a=b"));
  }

  @Test
  void parseRejectsEmpty() {
    var failure = assertThrows(IllegalArgumentException.class, () -> SshSpec.parse(""));

    assertEquals("invalid ssh value \"\": expected default or ID=PATH[,PATH...]", failure.getMessage());
  }

  @Test
  void toStringShowsFlagForm() {
    assertEquals("default", SshSpec.parse("default").toString());
    assertEquals("two=/a,/b", SshSpec.parse("two=/a,/b").toString());
  }
}
