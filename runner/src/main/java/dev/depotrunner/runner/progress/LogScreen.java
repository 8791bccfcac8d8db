package dev.depotrunner.runner.progress;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small terminal screen that a vertex's output is written to, so that the tty view can show its
 * last lines as a terminal would: carriage returns overwrite (progress bars), long lines wrap, and
 * old lines scroll away. It understands the escape sequences that move the cursor or erase, and
 * skips the rest (colors).
 */
final class LogScreen {

  private static final int MAX_PENDING_ESCAPE = 12;

  private int height;
  private int width;
  private int[][] cells;
  private int row;
  private int column;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer undecoded = ByteBuffer.allocate(0);
  private final StringBuilder pendingEscape = new StringBuilder();

  LogScreen(int height, int width) {
    this.height = Math.max(1, height);
    this.width = Math.max(1, width);
    cells = new int[this.height][this.width];
    for (int[] line : cells) {
      Arrays.fill(line, ' ');
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  /** Changes the size, keeping the top rows and the left columns as a terminal would. */
  void resize(int newHeight, int newWidth) {
    newWidth = Math.max(6, newWidth);
    newHeight = Math.max(1, newHeight);
    int[][] resized = new int[newHeight][newWidth];
    for (int y = 0; y < newHeight; y++) {
      Arrays.fill(resized[y], ' ');
      if (y < height) {
        System.arraycopy(cells[y], 0, resized[y], 0, Math.min(width, newWidth));
      }
    }
    cells = resized;
    height = newHeight;
    width = newWidth;
  }

  /**
   * Writes output bytes. A UTF-8 sequence or an escape sequence split across chunks is completed by
   * the next chunk.
   */
  void write(byte[] data) {
    ByteBuffer input = ByteBuffer.allocate(undecoded.remaining() + data.length);
    input.put(undecoded).put(data).flip();
    CharBuffer text = CharBuffer.allocate(input.remaining() + 1);
    decoder.decode(input, text, false);
    undecoded = input.slice();
    text.flip();

    for (int i = 0; i < text.length(); ) {
      int codePoint = Character.codePointAt(text, i);
      i += Character.charCount(codePoint);
      accept(codePoint);
    }
  }

  /** Returns the number of rows that contain anything but spaces. */
  int usedHeight() {
    int used = 0;
    for (int[] line : cells) {
      if (!isBlank(line)) {
        used++;
      }
    }
    return used;
  }

  /** Returns the rows that contain anything but spaces, each as wide as the screen. */
  List<String> nonBlankLines() {
    List<String> lines = new ArrayList<>();
    for (int[] line : cells) {
      if (!isBlank(line)) {
        lines.add(new String(line, 0, line.length));
      }
    }
    return lines;
  }

  private static boolean isBlank(int[] line) {
    for (int cell : line) {
      if (cell != ' ') {
        return false;
      }
    }
    return true;
  }

  private void accept(int codePoint) {
    if (pendingEscape.length() > 0) {
      pendingEscape.appendCodePoint(codePoint);
      if (escapeComplete()) {
        runEscape(pendingEscape.toString());
        pendingEscape.setLength(0);
      } else if (pendingEscape.length() > MAX_PENDING_ESCAPE) {
        // Not a sequence this screen understands; drop it rather than swallow the output after it.
        pendingEscape.setLength(0);
      }
      return;
    }

    switch (codePoint) {
      case 0x1b -> pendingEscape.append((char) 0x1b);
      case '\n' -> {
        row++;
        column = 0;
      }
      case '\r' -> column = 0;
      case '\b' -> column = Math.max(0, column - 1);
      case '\t' -> put(' ');
      default -> {
        if (codePoint >= 0x20 && codePoint != 0x7f && !(codePoint >= 0x80 && codePoint < 0xa0)) {
          put(codePoint);
        }
      }
    }
  }

  private boolean escapeComplete() {
    if (pendingEscape.length() < 2) {
      return false;
    }
    char kind = pendingEscape.charAt(1);
    if (kind == '[') {
      char last = pendingEscape.charAt(pendingEscape.length() - 1);
      return pendingEscape.length() > 2 && last >= 0x40 && last <= 0x7e;
    }
    if (kind == ']') {
      // An operating system command such as a window title ends with BEL.
      return pendingEscape.charAt(pendingEscape.length() - 1) == 0x07;
    }
    return true;
  }

  private void runEscape(String sequence) {
    if (sequence.charAt(1) != '[') {
      return;
    }
    char command = sequence.charAt(sequence.length() - 1);
    int[] arguments = parseArguments(sequence.substring(2, sequence.length() - 1));
    int first = arguments.length > 0 ? arguments[0] : 0;
    int count = Math.max(1, first);
    switch (command) {
      case 'A' -> row = Math.max(0, row - count);
      case 'B' -> row = Math.min(height - 1, row + count);
      case 'C' -> column = Math.min(width - 1, column + count);
      case 'D' -> column = Math.max(0, column - count);
      case 'G' -> column = clamp(count - 1, width);
      case 'H', 'f' -> {
        row = clamp(count - 1, height);
        column = clamp(arguments.length > 1 ? Math.max(1, arguments[1]) - 1 : 0, width);
      }
      case 'K' -> eraseInLine(first);
      case 'J' -> eraseInDisplay(first);
      default -> {
        // Colors and modes do not change which characters are shown.
      }
    }
  }

  private static int[] parseArguments(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> Character.isDigit(c) || c == ';')) {
      return new int[0];
    }
    String[] parts = text.split(";", -1);
    int[] values = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = parts[i].isEmpty() ? 0 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(parts[i]));
    }
    return values;
  }

  private static int clamp(int value, int limit) {
    return Math.max(0, Math.min(limit - 1, value));
  }

  private void eraseInLine(int mode) {
    if (row >= height) {
      return;
    }
    int from = mode == 0 ? Math.min(column, width) : 0;
    int to = mode == 1 ? Math.min(column + 1, width) : width;
    Arrays.fill(cells[row], from, to, ' ');
  }

  private void eraseInDisplay(int mode) {
    int current = Math.min(row, height - 1);
    int fromRow = mode == 0 ? current : 0;
    int toRow = mode == 1 ? current + 1 : height;
    for (int y = fromRow; y < toRow; y++) {
      Arrays.fill(cells[y], ' ');
    }
  }

  private void put(int codePoint) {
    if (column >= width) {
      column = 0;
      row++;
    }
    if (row >= height) {
      int[] first = cells[0];
      System.arraycopy(cells, 1, cells, 0, height - 1);
      Arrays.fill(first, ' ');
      cells[height - 1] = first;
      row = height - 1;
    }
    cells[row][column] = codePoint;
    column++;
    if (column >= width) {
      column = 0;
      row++;
    }
  }
}
