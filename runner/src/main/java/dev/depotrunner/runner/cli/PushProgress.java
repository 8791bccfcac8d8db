package dev.depotrunner.runner.cli;

import dev.depotrunner.registry.CopyEvent;
import dev.depotrunner.runner.progress.ProgressMode;
import dev.depotrunner.runner.progress.TransferEvent;
import dev.depotrunner.runner.progress.TransferRenderer;
import dev.depotrunner.steps.registry.PushEvent;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns {@code depot push} progress into transfer events: a message per step of the push and a
 * blob line per layer and config, keyed by its short digest.
 */
final class PushProgress implements Consumer<PushEvent> {

  private final TransferRenderer renderer;

  PushProgress(TransferRenderer renderer) {
    this.renderer = renderer;
  }

  /**
   * Resolves {@code --progress} for push and pull as the Depot CLI does: {@code auto} takes
   * {@code BUILDKIT_PROGRESS} when it is set, and is then plain in CI or without a terminal, and
   * tty otherwise.
   *
   * @return {@link ProgressMode#PLAIN}, {@link ProgressMode#TTY} or {@link ProgressMode#QUIET}
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  static ProgressMode mode(String value, Map<String, String> environment, boolean terminal) {
    String resolved = value.toLowerCase(Locale.ROOT);
    String override = environment.getOrDefault("BUILDKIT_PROGRESS", "");
    if (resolved.equals("auto") && !override.isEmpty()) {
      resolved = override.toLowerCase(Locale.ROOT);
    }
    boolean ci = environment.containsKey("CI");
    return switch (resolved) {
      case "auto" -> ci || !terminal ? ProgressMode.PLAIN : ProgressMode.TTY;
      case "plain" -> ProgressMode.PLAIN;
      case "tty" -> ProgressMode.TTY;
      case "quiet" -> ProgressMode.QUIET;
      default -> throw new IllegalArgumentException("invalid --progress value \"" + resolved
          + "\": expected auto, plain, tty or quiet");
    };
  }

  @Override
  public void accept(PushEvent event) {
    renderer.accept(transferEvent(event));
  }

  static TransferEvent transferEvent(PushEvent event) {
    if (event instanceof PushEvent.Started started) {
      String build = "[depot] Pushing build " + started.buildId();
      return new TransferEvent.Message(started.target()
          .map(target -> build + " of target " + target + " as " + started.tag())
          .orElse(build + " as " + started.tag()));
    }
    if (event instanceof PushEvent.Finished finished) {
      return new TransferEvent.Message("[depot] Pushed " + finished.tag() + "@" + finished.digest() + " ("
          + finished.blobsUploaded() + " blobs, " + megabytes(finished.bytesUploaded()) + " uploaded)");
    }
    return transferEvent(((PushEvent.Copy) event).event());
  }

  private static TransferEvent transferEvent(CopyEvent event) {
    if (event instanceof CopyEvent.BlobProgress progress) {
      String id = TransferEvent.shortDigest(progress.digest());
      return progress.bytesSent() == progress.size()
          ? new TransferEvent.Blob(id, "Pushed", 0, progress.size())
          : new TransferEvent.Blob(id, "Pushing", progress.bytesSent(), progress.size());
    }
    if (event instanceof CopyEvent.BlobSkipped skipped) {
      String state = skipped.reason() == CopyEvent.BlobSkipped.Reason.MOUNTED ? "Mounted" : "Layer already exists";
      return new TransferEvent.Blob(TransferEvent.shortDigest(skipped.digest()), state, 0, skipped.size());
    }
    if (event instanceof CopyEvent.ManifestPushed manifest) {
      return new TransferEvent.Message("Pushed manifest " + manifest.digest());
    }
    CopyEvent.Retrying retrying = (CopyEvent.Retrying) event;
    return new TransferEvent.Message("Retrying " + retrying.operation() + " in " + retrying.delay().toMillis()
        + " ms after attempt " + retrying.attempt() + ": " + retrying.error());
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
