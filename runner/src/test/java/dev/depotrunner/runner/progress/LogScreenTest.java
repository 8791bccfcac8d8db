package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogScreenTest {

  private static List<String> trimmed(LogScreen screen) {
    return screen.nonBlankLines().stream().map(String::stripTrailing).toList();
  }

  private static void write(LogScreen screen, String text) {
    screen.write(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void write_keepsLastLinesAfterScrolling() {
    LogScreen screen = new LogScreen(3, 20);

    write(screen, "one\ntwo\nthree\nfour\nfive\n");

    assertEquals(List.of("three", "four", "five"), trimmed(screen));
  }

  @Test
  void write_carriageReturnOverwritesLine() {
    LogScreen screen = new LogScreen(3, 20);

    write(screen, "downloading  10%\rdownloading  55%\rdownloading 100%\n");

    assertEquals(List.of("downloading 100%"), trimmed(screen));
  }

  @Test
  void write_wrapsLongLines() {
    LogScreen screen = new LogScreen(3, 6);

    write(screen, "abcdefghij\n");

    assertEquals(List.of("abcdef", "ghij"), trimmed(screen));
  }

  @Test
  void write_skipsColorsAndHandlesErase() {
    LogScreen screen = new LogScreen(3, 20);

    write(screen, "\u001b[32mPASS\u001b[0m test one\nprogress 10%\u001b[2K\rdone\n");

    assertEquals(List.of("PASS test one", "done"), trimmed(screen));
  }

  @Test
  void write_joinsCharacterSplitAcrossChunks() {
    LogScreen screen = new LogScreen(3, 20);
    byte[] check = "✓ ok\n".getBytes(StandardCharsets.UTF_8);

    screen.write(new byte[] {check[0]});
    screen.write(java.util.Arrays.copyOfRange(check, 1, check.length));

    assertEquals(List.of("✓ ok"), trimmed(screen));
  }

  @Test
  void write_joinsEscapeSplitAcrossChunks() {
    LogScreen screen = new LogScreen(3, 20);

    write(screen, "red \u001b[3");
    write(screen, "1mtext\n");

    assertEquals(List.of("red text"), trimmed(screen));
  }

  @Test
  void usedHeight_countsRowsWithText() {
    LogScreen screen = new LogScreen(6, 20);

    write(screen, "a\n\nb\n");

    assertEquals(2, screen.usedHeight());
  }

  @Test
  void resize_keepsTopRowsAndLeftColumns() {
    LogScreen screen = new LogScreen(3, 20);
    write(screen, "first line\nsecond line\nthird");

    screen.resize(2, 6);

    assertEquals(List.of("first", "second"), trimmed(screen));
    assertEquals(6, screen.width());
  }
}
