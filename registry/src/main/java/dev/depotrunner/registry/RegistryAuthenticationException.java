package dev.depotrunner.registry;

/** A registry rejected the credentials, or required credentials that the caller did not have. */
public final class RegistryAuthenticationException extends RegistryException {

  private static final long serialVersionUID = 1L;

  RegistryAuthenticationException(String message) {
    super(message);
  }
}
