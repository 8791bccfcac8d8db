package dev.depotrunner.buildkit;

/** The Solve was cancelled by the client before it finished. */
public final class SolveCancelledException extends BuildKitException {

  SolveCancelledException(Throwable cause) {
    super("build cancelled", cause);
  }
}
