package dev.depotrunner.runner.progress;

import java.util.ArrayList;
import java.util.List;

/**
 * A terminal for tests of the tty view: it applies the cursor movements and erases the view
 * writes, ignores colors, wraps text at its width, and keeps the lines that scrolled off the top.
 * It counts how often text wrapped, since the view's redraw breaks when one of its lines wraps.
 */
public final class TerminalEmulator {

  private final int width;
  private final int height;
  private final List<StringBuilder> rows = new ArrayList<>();
  private int row;
  private int column;
  private int wraps;

  public TerminalEmulator(int width, int height) {
    this.width = width;
    this.height = height;
    rows.add(new StringBuilder());
  }

  public void write(String output) {
    for (int i = 0; i < output.length(); i++) {
      char c = output.charAt(i);
      if (c == 0x1b) {
        i = escape(output, i);
      } else if (c == '\n') {
        row++;
        column = 0;
        while (rows.size() <= row) {
          rows.add(new StringBuilder());
        }
      } else if (c == '\r') {
        column = 0;
      } else {
        put(c);
      }
    }
  }

  private int escape(String output, int start) {
    if (output.charAt(start + 1) != '[') {
      throw new IllegalStateException("unexpected escape at " + start + ": " + output.substring(start, start + 2));
    }
    int end = start + 2;
    while (!Character.isLetter(output.charAt(end))) {
      end++;
    }
    String arguments = output.substring(start + 2, end);
    char command = output.charAt(end);
    int count = arguments.isEmpty() || arguments.startsWith("?") ? 1 : Integer.parseInt(arguments);
    int screenTop = Math.max(0, rows.size() - height);
    switch (command) {
      case 'A' -> row = Math.max(screenTop, row - count);
      case 'B' -> {
        row = Math.min(screenTop + height - 1, row + count);
        while (rows.size() <= row) {
          rows.add(new StringBuilder());
        }
      }
      case 'G' -> column = Math.max(0, count - 1);
      case 'J' -> {
        rows.get(row).setLength(Math.min(column, rows.get(row).length()));
        while (rows.size() > row + 1) {
          rows.remove(rows.size() - 1);
        }
      }
      case 'K' -> {
        StringBuilder line = rows.get(row);
        if (arguments.equals("2")) {
          line.setLength(0);
        } else {
          line.setLength(Math.min(column, line.length()));
        }
      }
      case 'm', 'l', 'h' -> {
        // Colors and cursor visibility do not change the text.
      }
      default -> throw new IllegalStateException("unexpected escape sequence: " + output.substring(start, end + 1));
    }
    return end;
  }

  private void put(char c) {
    if (column >= width) {
      wraps++;
      row++;
      column = 0;
      while (rows.size() <= row) {
        rows.add(new StringBuilder());
      }
    }
    StringBuilder line = rows.get(row);
    while (line.length() < column) {
      line.append(' ');
    }
    if (column < line.length()) {
      line.setCharAt(column, c);
    } else {
      line.append(c);
    }
    column++;
  }

  /** Returns every line, including those that scrolled away, without trailing spaces. */
  public String transcript() {
    StringBuilder text = new StringBuilder();
    for (StringBuilder line : rows) {
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString().stripTrailing() + "\n";
  }

  /** Returns the lines the terminal shows now, without trailing spaces. */
  public List<String> screen() {
    List<String> lines = new ArrayList<>();
    for (int i = Math.max(0, rows.size() - height); i < rows.size(); i++) {
      lines.add(rows.get(i).toString().stripTrailing());
    }
    return lines;
  }

  int row() {
    return row;
  }

  /** Returns how many times text reached the right edge and continued on the next line. */
  public int wraps() {
    return wraps;
  }

  int width() {
    return width;
  }
}
