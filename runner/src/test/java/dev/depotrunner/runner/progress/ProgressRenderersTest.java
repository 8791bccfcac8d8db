package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressRenderersTest {

  private final ManualClock clock = new ManualClock(Instant.EPOCH);
  private final TextOutput out = new TextOutput(new PrintStream(new ByteArrayOutputStream()));

  private TerminalSizeSource sizes(TerminalSize size) {
    return new TerminalSizeSource(clock, Map.of()) {
      @Override
      synchronized TerminalSize size() {
        return size;
      }
    };
  }

  private BaseRenderer create(ProgressMode mode, boolean isTerminal, TerminalSize size) {
    return ProgressRenderers.create(mode, out, isTerminal, ProgressOptions.defaults(), clock, sizes(size));
  }

  @Test
  void create_picksRendererForMode() {
    TerminalSize size = new TerminalSize(120, 40);

    assertInstanceOf(PlainRenderer.class, create(ProgressMode.PLAIN, true, size));
    assertInstanceOf(RawJsonRenderer.class, create(ProgressMode.RAWJSON, true, size));
    assertInstanceOf(QuietRenderer.class, create(ProgressMode.QUIET, true, size));
    assertInstanceOf(TtyRenderer.class, create(ProgressMode.TTY, false, size));
  }

  @Test
  void create_autoUsesTtyOnlyOnTerminal() {
    TerminalSize size = new TerminalSize(120, 40);

    assertInstanceOf(TtyRenderer.class, create(ProgressMode.AUTO, true, size));
    assertInstanceOf(PlainRenderer.class, create(ProgressMode.AUTO, false, size));
  }

  @Test
  void create_ttyFallsBackToPlainWithoutSize() {
    assertInstanceOf(PlainRenderer.class, create(ProgressMode.TTY, true, null));
    assertInstanceOf(PlainRenderer.class, create(ProgressMode.AUTO, true, null));
  }

  @Test
  void parse_acceptsBuildxNames() {
    assertEquals(ProgressMode.AUTO, ProgressMode.parse("auto"));
    assertEquals(ProgressMode.AUTO, ProgressMode.parse(""));
    assertEquals(ProgressMode.PLAIN, ProgressMode.parse("plain"));
    assertEquals(ProgressMode.TTY, ProgressMode.parse("tty"));
    assertEquals(ProgressMode.RAWJSON, ProgressMode.parse("rawjson"));
    assertEquals(ProgressMode.QUIET, ProgressMode.parse("quiet"));
    assertEquals("rawjson", ProgressMode.RAWJSON.toString());
  }

  @Test
  void parse_rejectsUnknownMode() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> ProgressMode.parse("fancy"));

    assertEquals("invalid progress mode \"fancy\": use auto, plain, tty, rawjson or quiet", error.getMessage());
  }

  @Test
  void imageId_prefersConfigDigest() {
    assertEquals(
        "sha256:c0",
        ProgressRenderers.imageId(Map.of("containerimage.config.digest", "sha256:c0", "containerimage.digest", "sha256:d0")));
    assertEquals("sha256:d0", ProgressRenderers.imageId(Map.of("containerimage.digest", "sha256:d0")));
    assertEquals("", ProgressRenderers.imageId(Map.of()));
  }
}
