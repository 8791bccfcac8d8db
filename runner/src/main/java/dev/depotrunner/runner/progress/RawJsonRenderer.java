package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.steps.events.BuildEvent;
import java.time.InstantSource;

/**
 * Renders each status batch as one line of JSON, as docker buildx's {@code --progress=rawjson}
 * does, and at the end the failures as text, as buildx prints them after the JSON.
 */
final class RawJsonRenderer extends BaseRenderer {

  RawJsonRenderer(TextOutput out, ProgressOptions options, InstantSource clock) {
    super(out, options, clock, null);
  }

  @Override
  void onStatus(SolveStatus status) {
    out.print(SolveStatusJson.write(status) + "\n");
  }

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
