package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.steps.events.BuildEvent;
import java.time.Instant;
import java.time.InstantSource;

/** Renders progress as docker buildx's {@code --progress=plain} does. */
final class PlainRenderer extends BaseRenderer {

  /** The width BuildKit's plain display passes to its trace; plain output never wraps. */
  private static final int PLAIN_WIDTH = 80;

  private final Trace trace = new Trace(false);
  private final PlainPrinter printer;

  PlainRenderer(TextOutput out, ProgressOptions options, InstantSource clock, RefreshTimer timer) {
    super(out, options, clock, timer);
    this.printer = new PlainPrinter(out);
  }

  @Override
  void onStatus(SolveStatus status) {
    Instant now = clock.instant();
    trace.update(status, now, PLAIN_WIDTH);
    if (allowUpdate(now)) {
      printer.print(trace, now);
    }
  }

  @Override
  void onNotice(BuildEvent.Notice notice) {
    if (shouldPrint(notice)) {
      // Progress held back by the update interval prints first, so a notice after the build follows it.
      printer.print(trace, clock.instant());
      out.print(noticeLine(notice) + "\n");
    }
  }

  @Override
  void refresh(Instant now) {
    printer.print(trace, now);
  }

  @Override
  void finish() {
    printer.print(trace, clock.instant());
    printFailureLogs(trace);
    outcome.printWarnings(out);
    outcome.printErrors(out);
  }
}
