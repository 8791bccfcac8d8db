package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.steps.events.BuildEvent;
import java.time.InstantSource;

/**
 * Renders nothing but notices of level WARNING and, at the end, failures, as docker buildx's
 * {@code --progress=quiet} does. On success the caller prints the image id to stdout (see {@link
 * ProgressRenderers#imageId}).
 */
final class QuietRenderer extends BaseRenderer {

  QuietRenderer(TextOutput out, ProgressOptions options, InstantSource clock) {
    super(out, options, clock, null);
  }

  @Override
  void onStatus(SolveStatus status) {}

  @Override
  void onNotice(BuildEvent.Notice notice) {
    if (notice.level() == BuildEvent.Level.WARNING) {
      out.print(noticeLine(notice) + "\n");
    }
  }

  @Override
  void finish() {
    outcome.printErrors(out);
  }
}
