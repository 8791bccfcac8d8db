package dev.depotrunner.registry;

/** A registry returned an unexpected HTTP status for a request. */
final class RegistryStatusException extends RegistryException {

  private static final long serialVersionUID = 1L;

  private final int status;

  RegistryStatusException(String message, int status) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  /** Whether the same request may succeed later: 429 Too Many Requests or any 5xx status. */
  boolean isTransient() {
    return status == 429 || status >= 500;
  }
}
