package dev.depotrunner.registry;

/** A registry returned an unexpected HTTP status for a request. */
final class RegistryStatusException extends RegistryException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final boolean retryable;

  RegistryStatusException(String message, int status) {
    this(message, status, status == 429 || status >= 500);
  }

  RegistryStatusException(String message, int status, boolean retryable) {
    super(message);
    this.status = status;
    this.retryable = retryable;
  }

  int status() {
    return status;
  }

  /**
   * Whether the same request may succeed later: 429 Too Many Requests, any 5xx status, or an
   * expired token on a request whose body could not be sent twice.
   */
  boolean isTransient() {
    return retryable;
  }
}
