package dev.depotrunner.buildkit.secrets;

import java.io.IOException;

/**
 * Raised when a secret's source is unusable when the provider is created: no id, a file that is
 * missing or too large. Messages name the secret and the file, never the secret's value.
 */
public final class SecretSourceException extends IOException {

  public SecretSourceException(String message) {
    super(message);
  }

  public SecretSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
