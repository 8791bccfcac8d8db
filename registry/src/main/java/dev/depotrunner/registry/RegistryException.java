package dev.depotrunner.registry;

/**
 * A registry operation failed. The message is one line that names the registry or image and
 * never contains a credential.
 */
public class RegistryException extends Exception {

  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
