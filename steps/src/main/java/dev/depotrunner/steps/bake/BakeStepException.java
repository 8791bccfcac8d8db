package dev.depotrunner.steps.bake;

/**
 * A bake that did not succeed: a target failed (the message starts with {@code target NAME: }), could not
 * be prepared, or the bake was cancelled. The cause stays attached for {@code --debug}.
 */
public final class BakeStepException extends Exception {

  private final String target;
  private final boolean reported;

  BakeStepException(String target, String message, Throwable cause, boolean reported) {
    super(message, cause);
    this.target = target;
    this.reported = reported;
  }

  /**
   * Returns a failure not yet shown as a build event.
   *
   * @param target the failed target, or null when the failure is not tied to one target
   */
  public static BakeStepException of(String target, String message, Throwable cause) {
    return new BakeStepException(target, message, cause, false);
  }

  /** Returns the failed target's name, or null when the failure is not tied to one target. */
  public String target() {
    return target;
  }

  /** Returns whether a renderer has shown this failure already as a build event. */
  public boolean reported() {
    return reported;
  }
}
