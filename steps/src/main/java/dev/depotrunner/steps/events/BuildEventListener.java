package dev.depotrunner.steps.events;

/** Receives a step's events in the order they happened; called from one thread at a time. */
@FunctionalInterface
public interface BuildEventListener {

  void onEvent(BuildEvent event);
}
