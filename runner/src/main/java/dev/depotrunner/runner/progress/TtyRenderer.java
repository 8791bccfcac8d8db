package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.steps.events.BuildEvent;
import java.time.Instant;
import java.time.InstantSource;

/** Renders progress as docker buildx's tty view, redrawn in place. */
final class TtyRenderer extends BaseRenderer {

  private final Trace trace = new Trace(true);
  private final TtyDisplay display;
  private final TerminalSizeSource sizes;
  private TerminalSize size;

  /**
   * @param size the terminal's size when the build starts; later sizes come from {@code sizes}
   */
  TtyRenderer(
      TextOutput out,
      ProgressOptions options,
      InstantSource clock,
      RefreshTimer timer,
      TerminalSizeSource sizes,
      TerminalSize size) {
    super(out, options, clock, timer);
    this.display = new TtyDisplay(out, options.color());
    this.sizes = sizes;
    this.size = size;
  }

  @Override
  void onStatus(SolveStatus status) {
    Instant now = clock.instant();
    updateSize();
    trace.update(status, now, size.width());
    if (allowUpdate(now)) {
      display.print(trace, size, false, now);
    }
  }

  @Override
  void onNotice(BuildEvent.Notice notice) {
    if (!shouldPrint(notice)) {
      return;
    }
    display.printAbove(noticeLine(notice));
    if (trace.startTime != null) {
      display.print(trace, size, false, clock.instant());
    }
  }

  @Override
  void refresh(Instant now) {
    if (trace.startTime == null) {
      return;
    }
    updateSize();
    display.print(trace, size, false, now);
  }

  @Override
  void finish() {
    updateSize();
    display.print(trace, size, true, clock.instant());
    printFailureLogs(trace);
    outcome.printWarnings(out);
    outcome.printErrors(out);
  }

  private void updateSize() {
    TerminalSize current = sizes.size();
    if (current != null) {
      size = current;
    }
  }
}
