package dev.depotrunner.steps.registry;

import dev.depotrunner.engine.JsonMessage;

/** Progress of {@code depot pull}, for a renderer to print. */
public sealed interface PullEvent {

  /** The engine starts pulling {@code reference}, the build's image or its bake target's. */
  record Started(String buildId, java.util.Optional<String> target, String reference) implements PullEvent {}

  /** A message of the engine's pull stream, such as a layer's download status. */
  record Engine(JsonMessage message) implements PullEvent {}

  /** The pulled image is now also named {@code tag}. */
  record Tagged(String tag) implements PullEvent {}

  /** The pull finished; {@code tags} are the names the image got, or empty. */
  record Finished(String reference, java.util.List<String> tags) implements PullEvent {}
}
