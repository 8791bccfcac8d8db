package dev.depotrunner.buildkit.content;

import java.io.IOException;

/**
 * A content store failure of a kind the Content API reports with its own gRPC code, as containerd's
 * errdefs classes map onto codes.
 */
final class StoreException extends IOException {

  enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    UNAVAILABLE,
    OUT_OF_RANGE
  }

  private final Kind kind;

  StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  static StoreException notFound(String message) {
    return new StoreException(Kind.NOT_FOUND, message);
  }

  static StoreException alreadyExists(String message) {
    return new StoreException(Kind.ALREADY_EXISTS, message);
  }

  static StoreException failedPrecondition(String message) {
    return new StoreException(Kind.FAILED_PRECONDITION, message);
  }

  static StoreException invalidArgument(String message) {
    return new StoreException(Kind.INVALID_ARGUMENT, message);
  }
}
