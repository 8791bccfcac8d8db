package dev.depotrunner.runner.cli;

import dev.depotrunner.registry.CopyEvent;
import dev.depotrunner.steps.registry.PushEvent;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Prints {@code depot push} progress to stderr, one line per step of each blob and manifest.
 * Events arrive from upload threads, so printing is synchronized.
 *
 * <p>NOTE: the tty mode prints the same lines as plain; it does not redraw in place.
 */
final class PushProgress implements Consumer<PushEvent> {

  /** The output mode, from {@code --progress}. */
  enum Mode {
    PLAIN,
    TTY,
    QUIET;

    /** Resolves {@code auto} to plain in CI or without a terminal, and tty otherwise. */
    static Mode parse(String value, boolean ci, boolean terminal) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "auto" -> ci || !terminal ? PLAIN : TTY;
        case "plain" -> PLAIN;
        case "tty" -> TTY;
        case "quiet" -> QUIET;
        default -> throw new IllegalArgumentException("invalid --progress value \"" + value
            + "\": expected auto, plain, tty or quiet");
      };
    }
  }

  private final PrintStream err;
  private final Mode mode;

  PushProgress(PrintStream err, Mode mode) {
    this.err = err;
    this.mode = mode;
  }

  @Override
  public synchronized void accept(PushEvent event) {
    if (mode == Mode.QUIET) {
      return;
    }
    String line = describe(event);
    if (line != null) {
      err.println(line);
    }
  }

  /** Returns the line for {@code event}, or null for events that print nothing. */
  private static String describe(PushEvent event) {
    if (event instanceof PushEvent.Started started) {
      String build = "[depot] Pushing build " + started.buildId();
      return started.target()
          .map(target -> build + " of target " + target + " as " + started.tag())
          .orElse(build + " as " + started.tag());
    }
    if (event instanceof PushEvent.Finished finished) {
      return "[depot] Pushed " + finished.tag() + "@" + finished.digest() + " ("
          + finished.blobsUploaded() + " blobs, " + megabytes(finished.bytesUploaded())
          + " uploaded)";
    }
    return describe(((PushEvent.Copy) event).event());
  }

  private static String describe(CopyEvent event) {
    if (event instanceof CopyEvent.BlobProgress progress) {
      if (progress.bytesSent() == 0) {
        return "Pushing blob " + progress.digest() + " (" + megabytes(progress.size()) + ")";
      }
      return progress.bytesSent() == progress.size() ? "Pushed blob " + progress.digest() : null;
    }
    if (event instanceof CopyEvent.BlobSkipped skipped) {
      return skipped.reason() == CopyEvent.BlobSkipped.Reason.MOUNTED
          ? "Mounted blob " + skipped.digest()
          : "Blob " + skipped.digest() + " exists";
    }
    if (event instanceof CopyEvent.ManifestPushed manifest) {
      return "Pushed manifest " + manifest.digest();
    }
    CopyEvent.Retrying retrying = (CopyEvent.Retrying) event;
    return "Retrying " + retrying.operation() + " in " + retrying.delay().toMillis()
        + " ms after attempt " + retrying.attempt() + ": " + retrying.error();
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
