package dev.depotrunner.runner.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.runner.terminal.TableBrowser.Action;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableBrowserTest {

  private static final List<String> HEADER = List.of("ID", "NAME");

  @Test
  void keysDecodeFromBytes() throws IOException {
    List<Key> keys = keys("kj\r\nqg G\u0003\u001b[A\u001b[B\u001bOA\u001b[5~\u001b[6~\u001b[H\u001b[F\u001b[1~\u001b[4~\u001b[9~x");

    assertEquals(List.of(Key.UP, Key.DOWN, Key.ENTER, Key.ENTER, Key.BACK, Key.HOME, Key.OTHER, Key.END,
        Key.INTERRUPT, Key.UP, Key.DOWN, Key.UP, Key.PAGE_UP, Key.PAGE_DOWN, Key.HOME, Key.END, Key.HOME,
        Key.END, Key.OTHER, Key.OTHER), keys);
  }

  @Test
  void loneEscapeIsBack() throws IOException {
    assertEquals(List.of(Key.BACK), keys("\u001b"));
    assertEquals(List.of(Key.BACK, Key.DOWN), keys("\u001bj"));
  }

  @Test
  void downMovesSelectionAndStops() {
    TableBrowser table = table(3, 10);

    assertEquals(Action.NONE, table.press(Key.DOWN));
    assertEquals(1, table.selected());
    table.press(Key.DOWN);
    table.press(Key.DOWN);
    assertEquals(2, table.selected());
    table.press(Key.UP);
    assertEquals(1, table.selected());
    table.press(Key.UP);
    table.press(Key.UP);
    assertEquals(0, table.selected());
  }

  @Test
  void windowScrollsWithSelection() {
    TableBrowser table = table(10, 3);

    table.press(Key.DOWN);
    table.press(Key.DOWN);
    assertEquals(0, table.offset());
    table.press(Key.DOWN);
    assertEquals(3, table.selected());
    assertEquals(1, table.offset());

    table.press(Key.PAGE_DOWN);
    assertEquals(6, table.selected());
    assertEquals(4, table.offset());
    table.press(Key.END);
    assertEquals(9, table.selected());
    assertEquals(7, table.offset());
    table.press(Key.PAGE_DOWN);
    assertEquals(9, table.selected());

    table.press(Key.PAGE_UP);
    assertEquals(6, table.selected());
    assertEquals(6, table.offset());
    table.press(Key.HOME);
    assertEquals(0, table.selected());
    assertEquals(0, table.offset());
  }

  @Test
  void resizeKeepsSelectionVisible() {
    TableBrowser table = table(10, 8);
    table.press(Key.END);

    table.resize(2);
    assertEquals(8, table.offset());

    table.resize(20);
    assertEquals(0, table.offset());
  }

  @Test
  void keysReturnActions() {
    TableBrowser table = table(3, 10);
    table.press(Key.DOWN);

    assertEquals(Action.OPEN, table.press(Key.ENTER));
    assertEquals(List.of("p-1", "project 1"), table.selectedRow());
    assertEquals(Action.BACK, table.press(Key.BACK));
    assertEquals(Action.QUIT, table.press(Key.INTERRUPT));
    assertEquals(Action.NONE, table.press(Key.OTHER));
  }

  @Test
  void emptyTableOpensNothing() {
    TableBrowser table = new TableBrowser("Projects", HEADER, List.of(), 5);

    table.press(Key.DOWN);
    table.press(Key.END);
    assertEquals(Action.NONE, table.press(Key.ENTER));
    assertEquals(List.of(), table.selectedRow());
    assertTrue(render(table, 80).contains("(none)"));
  }

  @Test
  void renderHighlightsSelectedRow() {
    TableBrowser table = table(3, 10);
    table.press(Key.DOWN);

    String frame = render(table, 80);

    assertTrue(frame.startsWith(TableBrowser.CLEAR), frame);
    assertTrue(frame.contains(TableBrowser.BOLD + "Projects" + TableBrowser.RESET + "\r\n"), frame);
    assertTrue(frame.contains(TableBrowser.BOLD + "ID    NAME" + TableBrowser.RESET + "\r\n"), frame);
    assertTrue(frame.contains("\r\np-0   project 0\r\n"), frame);
    assertTrue(frame.contains(TableBrowser.REVERSE + "p-1   project 1" + TableBrowser.RESET + "\r\n"), frame);
    assertFalse(frame.contains(TableBrowser.REVERSE + "p-0"), frame);
    assertTrue(frame.endsWith("q/esc: back"), frame);
  }

  @Test
  void renderShowsOnlyWindow() {
    TableBrowser table = table(10, 3);
    table.press(Key.END);

    String frame = render(table, 80);

    assertFalse(frame.contains("p-6 "), frame);
    assertTrue(frame.contains("p-7 "), frame);
    assertTrue(frame.contains(TableBrowser.REVERSE + "p-9 "), frame);
  }

  @Test
  void renderCutsLinesToWidth() {
    TableBrowser table = table(1, 5);

    String frame = render(table, 4);

    assertTrue(frame.contains(TableBrowser.REVERSE + "p-0 " + TableBrowser.RESET), frame);
    assertFalse(frame.contains("project"), frame);
  }

  @Test
  void renderReplacesControlCharacters() {
    TableBrowser table = new TableBrowser("Projects", HEADER, List.of(List.of("p-1", "evil\u001b[2Jname")), 5);

    String frame = render(table, 80);

    assertTrue(frame.contains("evil?[2Jname"), frame);
  }

  @Test
  void messageReplacesKeyHelp() {
    TableBrowser table = table(2, 5);
    table.message("Error: failed to list the builds");

    String frame = render(table, 80);
    assertTrue(frame.endsWith("Error: failed to list the builds"), frame);

    table.message(null);
    assertTrue(render(table, 80).endsWith("q/esc: back"));
  }

  @Test
  void keysDriveRenderedFrames() throws IOException {
    TableBrowser table = table(5, 2);
    PushbackInputStream in = input("jjj");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    Key key;
    while ((key = Key.read(in)) != null) {
      table.press(key);
      table.render(out, 80);
    }

    String[] frames = bytes.toString(StandardCharsets.UTF_8).split("\u001b\\[H\u001b\\[2J", -1);
    assertEquals(4, frames.length);
    assertTrue(frames[3].contains(TableBrowser.REVERSE + "p-3 "), frames[3]);
    assertFalse(frames[3].contains("p-1 "), frames[3]);
    assertNull(Key.read(in));
  }

  private static TableBrowser table(int count, int height) {
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(List.of("p-" + i, "project " + i));
    }
    return new TableBrowser("Projects", HEADER, rows, height);
  }

  private static String render(TableBrowser table, int width) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.render(new PrintStream(bytes, true, StandardCharsets.UTF_8), width);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static PushbackInputStream input(String text) {
    return new PushbackInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 8);
  }

  private static List<Key> keys(String text) throws IOException {
    PushbackInputStream in = input(text);
    List<Key> keys = new ArrayList<>();
    Key key;
    while ((key = Key.read(in)) != null) {
      keys.add(key);
    }
    return keys;
  }
}
