package dev.depotrunner.runner.progress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps one line per blob below the last message and rewrites a blob's line in place when it
 * changes. To rewrite it, the cursor moves up to the line, erases it, prints the new text and moves
 * back down.
 * A message starts a new group of lines, so the lines above it are never rewritten again.
 *
 * <p>NOTE: a group of lines taller than the terminal is not rewritten correctly, because the cursor
 * cannot move above the top row.
 */
final class TtyTransferRenderer implements TransferRenderer {

  private final TextOutput out;
  private final int width;
  private final List<String> ids = new ArrayList<>();
  private final Map<String, String> lines = new HashMap<>();

  /** @param width the terminal's width in columns. Longer blob lines are cut, so none wraps. */
  TtyTransferRenderer(TextOutput out, int width) {
    this.out = out;
    this.width = width;
  }

  @Override
  public synchronized void accept(TransferEvent event) {
    if (event instanceof TransferEvent.Message message) {
      out.print(message.text() + "\n");
      ids.clear();
      lines.clear();
    } else if (event instanceof TransferEvent.Blob blob) {
      update(blob);
    }
    out.flush();
  }

  private void update(TransferEvent.Blob blob) {
    String line = fit(format(blob));
    String previous = lines.put(blob.id(), line);
    if (previous == null) {
      ids.add(blob.id());
      out.print(line + "\n");
      return;
    }
    if (previous.equals(line)) {
      return;
    }
    int distance = ids.size() - ids.indexOf(blob.id());
    out.print(Ansi.up(distance) + "\r" + Ansi.ERASE_LINE + line + "\r" + Ansi.down(distance));
  }

  private static String format(TransferEvent.Blob blob) {
    String bytes = TransferRenderer.bytes(blob);
    return blob.id() + ": " + blob.state() + (bytes.isEmpty() ? "" : " " + bytes);
  }

  /** Cuts {@code line} to one column less than the width, so the cursor never wraps to a new row. */
  private String fit(String line) {
    int max = Math.max(width - 1, 1);
    return line.length() > max ? line.substring(0, max) : line;
  }
}
