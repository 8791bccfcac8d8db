package dev.depotrunner.buildkit;

/** The builder is too old for something the build asks for. */
public final class UnsupportedFeatureException extends BuildKitException {

  UnsupportedFeatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
