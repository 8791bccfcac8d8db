package dev.depotrunner.runner.progress;

import java.util.HashMap;
import java.util.Map;

/**
 * Prints a line per message and per change of a blob's state, such as {@code feadccd94c4b:
 * Downloading 2.14MB} with the blob's size. Byte counts within a state print nothing, so a blob
 * gives a few lines rather than hundreds.
 */
final class PlainTransferRenderer implements TransferRenderer {

  private final TextOutput out;
  private final Map<String, String> states = new HashMap<>();

  PlainTransferRenderer(TextOutput out) {
    this.out = out;
  }

  @Override
  public synchronized void accept(TransferEvent event) {
    if (event instanceof TransferEvent.Message message) {
      out.print(message.text() + "\n");
    } else if (event instanceof TransferEvent.Blob blob && !blob.state().equals(states.put(blob.id(), blob.state()))) {
      String size = blob.total() > 0 ? " " + NumberFormats.bytes(blob.total()) : "";
      out.print(blob.id() + ": " + blob.state() + size + "\n");
    }
    out.flush();
  }
}
