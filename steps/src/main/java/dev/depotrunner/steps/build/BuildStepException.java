package dev.depotrunner.steps.build;

/**
 * A build that could not run or did not succeed. The message is one line for the user; the cause stays
 * attached for {@code --debug}.
 */
public final class BuildStepException extends Exception {

  private final boolean reported;

  private BuildStepException(String message, Throwable cause, boolean reported) {
    super(message, cause);
    this.reported = reported;
  }

  /** A failure that happened before or around the build, which nothing has shown to the user yet. */
  public static BuildStepException of(String message, Throwable cause) {
    return new BuildStepException(message, cause, false);
  }

  /** A failure already reported as a {@code Failed} or {@code Cancelled} build event. */
  public static BuildStepException reported(String message, Throwable cause) {
    return new BuildStepException(message, cause, true);
  }

  /** Returns whether a renderer has shown this failure already, so the caller need not print it again. */
  public boolean reported() {
    return reported;
  }
}
