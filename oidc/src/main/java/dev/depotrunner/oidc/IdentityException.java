package dev.depotrunner.oidc;

/**
 * Thrown when a Depot credential was expected but cannot be used: an unreadable {@code depot login}
 * config, a CI identity token that is expired or has the wrong audience, or a failed token request
 * or exchange. The message is one line, names the fix and never contains a token.
 */
public final class IdentityException extends Exception {

  private static final long serialVersionUID = 1L;

  public IdentityException(String message) {
    super(message);
  }

  public IdentityException(String message, Throwable cause) {
    super(message, cause);
  }
}
