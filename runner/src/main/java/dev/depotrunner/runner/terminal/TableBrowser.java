package dev.depotrunner.runner.terminal;

import java.io.PrintStream;
import java.util.List;

/**
 * A table on a terminal with one selected row, moved by {@link Key}s and drawn with ANSI escape
 * sequences. It keeps the selection inside a window of {@code height} rows by scrolling, and draws
 * the whole table on each {@link #render}, so that the caller only feeds keys and renders.
 */
public final class TableBrowser {

  /** The step a key requests from the caller. */
  public enum Action {
    NONE,
    /** Enter on a row: open {@link #selectedRow()}. */
    OPEN,
    /** {@code q} or Esc: go back to the previous table, or quit from the first. */
    BACK,
    /** Ctrl-C: quit at once. */
    QUIT
  }

  static final String CLEAR = "\u001b[H\u001b[2J";
  static final String BOLD = "\u001b[1m";
  static final String REVERSE = "\u001b[7m";
  static final String RESET = "\u001b[0m";
  private static final String FOOTER = "up/k  down/j  pgup/pgdn  enter: open  q/esc: back";
  private static final int GAP = 3;

  private final String title;
  private final List<String> header;
  private final List<List<String>> rows;
  private final int[] widths;
  private String message;
  private int height;
  private int selected;
  private int offset;

  /**
   * @param height the number of table rows that fit on the screen, at least 1
   */
  public TableBrowser(String title, List<String> header, List<List<String>> rows, int height) {
    this.title = title;
    this.header = List.copyOf(header);
    this.rows = rows.stream().map(row -> row.stream().map(TableBrowser::printable).toList()).toList();
    this.widths = widths(this.header, this.rows);
    resize(height);
  }

  /** Sets the number of visible rows and scrolls so that the selected row stays visible. */
  public void resize(int height) {
    this.height = Math.max(1, height);
    scrollToSelection();
  }

  /** Sets a line shown in place of the key help, such as an error from loading the next table. Null clears it. */
  public void message(String message) {
    this.message = message;
  }

  public Action press(Key key) {
    int last = rows.size() - 1;
    switch (key) {
      case UP -> selected = Math.max(0, selected - 1);
      case DOWN -> selected = Math.max(0, Math.min(last, selected + 1));
      case PAGE_UP -> selected = Math.max(0, selected - height);
      case PAGE_DOWN -> selected = Math.max(0, Math.min(last, selected + height));
      case HOME -> selected = 0;
      case END -> selected = Math.max(0, last);
      case ENTER -> {
        return rows.isEmpty() ? Action.NONE : Action.OPEN;
      }
      case BACK -> {
        return Action.BACK;
      }
      case INTERRUPT -> {
        return Action.QUIT;
      }
      case OTHER -> {
        return Action.NONE;
      }
    }
    scrollToSelection();
    return Action.NONE;
  }

  public int selected() {
    return selected;
  }

  /** Returns the index of the first visible row. */
  public int offset() {
    return offset;
  }

  /** Returns the selected row, or an empty list when the table has no rows. */
  public List<String> selectedRow() {
    return rows.isEmpty() ? List.of() : rows.get(selected);
  }

  /**
   * Clears the screen and draws the title, the header, the visible rows with the selected one in
   * reverse video, and a line of key help or the message. Each line is cut to {@code width}
   * characters so that no line wraps and moves the rows below it.
   */
  public void render(PrintStream out, int width) {
    StringBuilder frame = new StringBuilder(CLEAR);
    frame.append(BOLD).append(cut(title, width)).append(RESET).append("\r\n");
    frame.append(BOLD).append(cut(line(header), width)).append(RESET).append("\r\n");

    if (rows.isEmpty()) {
      frame.append("(none)\r\n");
    }
    int end = Math.min(rows.size(), offset + height);
    for (int i = offset; i < end; i++) {
      String text = cut(line(rows.get(i)), width);
      if (i == selected) {
        frame.append(REVERSE).append(text).append(RESET);
      } else {
        frame.append(text);
      }
      frame.append("\r\n");
    }

    frame.append(cut(message == null ? FOOTER : printable(message), width));
    out.print(frame);
    out.flush();
  }

  private void scrollToSelection() {
    if (selected < offset) {
      offset = selected;
    } else if (selected >= offset + height) {
      offset = selected - height + 1;
    }
    offset = Math.max(0, Math.min(offset, Math.max(0, rows.size() - height)));
  }

  private String line(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int k = 0; k < cells.size(); k++) {
      String cell = cells.get(k);
      line.append(cell);
      if (k + 1 < cells.size()) {
        line.append(" ".repeat(widths[k] - cell.length() + GAP));
      }
    }
    return line.toString();
  }

  /** Replaces control characters so that a name from the server cannot send escape sequences. */
  private static String printable(String cell) {
    StringBuilder text = new StringBuilder(cell.length());
    cell.codePoints().forEach(c -> text.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return text.toString();
  }

  private static String cut(String text, int width) {
    return width > 0 && text.length() > width ? text.substring(0, width) : text;
  }

  private static int[] widths(List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int k = 0; k < header.size(); k++) {
      widths[k] = header.get(k).length();
      for (List<String> row : rows) {
        widths[k] = Math.max(widths[k], row.get(k).length());
      }
    }
    return widths;
  }
}
