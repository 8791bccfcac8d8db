package dev.depotrunner.runner.cli;

import dev.depotrunner.engine.JsonMessage;
import dev.depotrunner.steps.registry.PullEvent;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Prints {@code depot pull} progress to stderr: one line per step of the pull and one per layer
 * status the engine reports. Byte counts within a status ({@code Downloading}, {@code Extracting})
 * are left out, so a layer prints a few lines rather than hundreds.
 *
 * <p>NOTE: the tty mode prints the same lines as plain; it does not redraw in place.
 */
final class PullProgress implements Consumer<PullEvent> {

  private final PrintStream err;
  private final PushProgress.Mode mode;

  PullProgress(PrintStream err, PushProgress.Mode mode) {
    this.err = err;
    this.mode = mode;
  }

  @Override
  public void accept(PullEvent event) {
    if (mode == PushProgress.Mode.QUIET) {
      return;
    }
    String line = describe(event);
    if (line != null) {
      err.println(line);
    }
  }

  /** Returns the line for {@code event}, or null for events that print nothing. */
  static String describe(PullEvent event) {
    if (event instanceof PullEvent.Started started) {
      String build = "[depot] Pulling build " + started.buildId();
      return started.target()
          .map(target -> build + " target " + target + " from " + started.reference())
          .orElse(build + " from " + started.reference());
    }
    if (event instanceof PullEvent.Tagged tagged) {
      return "[depot] Tagged " + tagged.tag();
    }
    if (event instanceof PullEvent.Finished finished) {
      return finished.tags().isEmpty()
          ? "[depot] Pulled " + finished.reference()
          : "[depot] Pulled " + finished.reference() + " as " + String.join(", ", finished.tags());
    }
    JsonMessage message = ((PullEvent.Engine) event).message();
    if (message.status().isEmpty() || message.current() > 0 || !message.progress().isEmpty()) {
      return null;
    }
    return message.id().isEmpty() ? message.status() : message.id() + ": " + message.status();
  }
}
