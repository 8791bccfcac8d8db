package dev.depotrunner.buildkit.auth;

import java.io.IOException;

/** Raised when a token endpoint cannot be reached or rejects the request. */
final class TokenFetchException extends IOException {

  private final int statusCode;

  TokenFetchException(String message, int statusCode) {
    super(message);
    this.statusCode = statusCode;
  }

  TokenFetchException(String message, int statusCode, Throwable cause) {
    super(message, cause);
    this.statusCode = statusCode;
  }

  /** The HTTP status of the failed response, or 0 when there was none. */
  int statusCode() {
    return statusCode;
  }
}
