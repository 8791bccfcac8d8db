package dev.depotrunner.runner.progress;

import java.io.PrintStream;
import java.time.InstantSource;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Prints the progress of a push or pull. The tty view keeps one line per blob and rewrites it in
 * place, as docker push and pull do. The plain view prints a line when a blob's state changes, and
 * the quiet view prints nothing. Events may arrive from several threads.
 */
public interface TransferRenderer extends Consumer<TransferEvent> {

  /**
   * Creates a renderer that writes to {@code err}, which the caller owns and keeps open. The tty
   * view falls back to plain when the terminal's size cannot be found, from the controlling
   * terminal or from {@code COLUMNS} and {@code LINES} in {@code environment}.
   *
   * @param mode {@link ProgressMode#PLAIN}, {@link ProgressMode#TTY} or {@link ProgressMode#QUIET}
   * @throws IllegalArgumentException for {@link ProgressMode#AUTO}, which the caller resolves, and
   *     {@link ProgressMode#RAWJSON}, which has no push or pull format
   */
  static TransferRenderer create(ProgressMode mode, PrintStream err, Map<String, String> environment) {
    TextOutput out = new TextOutput(err);
    return switch (mode) {
      case PLAIN -> new PlainTransferRenderer(out);
      case QUIET -> event -> {};
      case TTY -> {
        TerminalSize size = new TerminalSizeSource(InstantSource.system(), environment).size();
        yield size == null ? new PlainTransferRenderer(out) : new TtyTransferRenderer(out, size.width());
      }
      case AUTO, RAWJSON -> throw new IllegalArgumentException(
          "push and pull progress has no " + mode + " mode, so pass plain, tty or quiet");
    };
  }

  /** Formats a blob's bytes: done and total while both are known, else the one that is. */
  static String bytes(TransferEvent.Blob blob) {
    if (blob.current() > 0 && blob.total() > 0) {
      return NumberFormats.bytes(blob.current()) + "/" + NumberFormats.bytes(blob.total());
    }
    if (blob.total() > 0) {
      return NumberFormats.bytes(blob.total());
    }
    return blob.current() > 0 ? NumberFormats.bytes(blob.current()) : "";
  }
}
