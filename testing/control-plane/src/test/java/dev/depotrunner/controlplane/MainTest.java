package dev.depotrunner.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Main.Arguments served;

  private int run(String... args) throws Exception {
    return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), arguments -> served = arguments);
  }

  @Test
  void help_printsUsage() throws Exception {
    for (String flag : new String[] {"-h", "--help"}) {
      out.reset();

      assertEquals(0, run(flag));

      assertTrue(out.toString(StandardCharsets.UTF_8)
          .startsWith("Usage: scripts/control-plane [BUILDKIT_ADDRESS [TOKEN [PROJECT]]]\n"), out.toString());
      assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count(), out.toString());
      assertNull(served);
    }
  }

  @Test
  void invalidAddress_isOneErrorLine() throws Exception {
    assertEquals(1, run("ftp://127.0.0.1:1"));

    String message = err.toString(StandardCharsets.UTF_8);
    assertTrue(message.startsWith("error: "), message);
    assertTrue(message.contains("ftp://127.0.0.1:1"), message);
    assertEquals(1, message.lines().count(), message);
    assertFalse(message.contains("Exception"), message);
    assertNull(served);
  }

  @Test
  void tooManyArguments_isError() throws Exception {
    assertEquals(1, run("tcp://127.0.0.1:1234", "token", "project", "extra"));

    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: too many arguments (4)"), err.toString());
    assertNull(served);
  }

  @Test
  void arguments_reachServer() throws Exception {
    assertEquals(0, run("tcp://127.0.0.1:1234", "my-token", "my-project"));

    assertEquals("tcp://127.0.0.1:1234", served.buildkit().toString());
    assertEquals("my-token", served.token());
    assertEquals("my-project", served.project());
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void defaults_tokenAndProject() throws Exception {
    assertEquals(0, run("tcp://127.0.0.1:1234"));

    assertEquals("local-token", served.token());
    assertEquals("local-project", served.project());
  }

  @Test
  void projectListSplitsOnCommas() {
    assertEquals(List.of("web", "api"), Main.projects("web, api,"));
    assertEquals(List.of("local-project"), Main.projects("local-project"));
  }
}
