package dev.depotrunner.buildkit;

/** A failure reported by, or in talking to, a BuildKit builder. The message is one line for the user. */
public class BuildKitException extends Exception {

  public BuildKitException(String message, Throwable cause) {
    super(message, cause);
  }

  public BuildKitException(String message) {
    super(message);
  }
}
