package dev.depotrunner.buildkit.auth;

import java.io.IOException;

/**
 * Raised when registry credentials cannot be read: a credential helper that is missing, fails or
 * times out, or a docker config that cannot be parsed. Messages never contain a secret.
 */
public class CredentialsException extends IOException {

  public CredentialsException(String message) {
    super(message);
  }

  public CredentialsException(String message, Throwable cause) {
    super(message, cause);
  }
}
