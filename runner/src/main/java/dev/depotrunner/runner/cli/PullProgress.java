package dev.depotrunner.runner.cli;

import dev.depotrunner.engine.JsonMessage;
import dev.depotrunner.runner.progress.TransferEvent;
import dev.depotrunner.runner.progress.TransferRenderer;
import dev.depotrunner.steps.registry.PullEvent;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns {@code depot pull} progress into transfer events: a message per step of the pull, and a
 * blob line per id of the engine's pull stream (the layers' short digests, and the tag being
 * pulled) with the status and bytes the engine reports.
 */
final class PullProgress implements Consumer<PullEvent> {

  private final TransferRenderer renderer;

  PullProgress(TransferRenderer renderer) {
    this.renderer = renderer;
  }

  @Override
  public void accept(PullEvent event) {
    transferEvent(event).ifPresent(renderer);
  }

  /** Returns the transfer event for {@code event}, or empty for a message without a status. */
  static Optional<TransferEvent> transferEvent(PullEvent event) {
    if (event instanceof PullEvent.Started started) {
      String build = "[depot] Pulling build " + started.buildId();
      return Optional.of(new TransferEvent.Message(started.target()
          .map(target -> build + " target " + target + " from " + started.reference())
          .orElse(build + " from " + started.reference())));
    }
    if (event instanceof PullEvent.Tagged tagged) {
      return Optional.of(new TransferEvent.Message("[depot] Tagged " + tagged.tag()));
    }
    if (event instanceof PullEvent.Finished finished) {
      return Optional.of(new TransferEvent.Message(finished.tags().isEmpty()
          ? "[depot] Pulled " + finished.reference()
          : "[depot] Pulled " + finished.reference() + " as " + String.join(", ", finished.tags())));
    }
    JsonMessage message = ((PullEvent.Engine) event).message();
    if (message.status().isEmpty()) {
      return Optional.empty();
    }
    if (message.id().isEmpty()) {
      return Optional.of(new TransferEvent.Message(message.status()));
    }
    if (!message.units().isEmpty()) {
      // Counts in other units, such as the seconds an extraction has run, are not bytes.
      return Optional.of(new TransferEvent.Blob(message.id(), message.status(), 0, 0));
    }
    return Optional.of(new TransferEvent.Blob(message.id(), message.status(), message.current(), message.total()));
  }
}
