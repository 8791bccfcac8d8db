package dev.depotrunner.depotapi;

import java.util.Locale;
import java.util.Optional;

/**
 * The error codes of the Connect protocol (https://connectrpc.com/docs/protocol#error-codes): the
 * gRPC status codes, written in snake case on the wire, each with the HTTP status a unary error
 * carries.
 */
public enum ConnectCode {
  CANCELED(499),
  UNKNOWN(500),
  INVALID_ARGUMENT(400),
  DEADLINE_EXCEEDED(504),
  NOT_FOUND(404),
  ALREADY_EXISTS(409),
  PERMISSION_DENIED(403),
  RESOURCE_EXHAUSTED(429),
  FAILED_PRECONDITION(400),
  ABORTED(409),
  OUT_OF_RANGE(400),
  UNIMPLEMENTED(501),
  INTERNAL(500),
  UNAVAILABLE(503),
  DATA_LOSS(500),
  UNAUTHENTICATED(401);

  private final int httpStatus;

  ConnectCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** Returns the name on the wire, such as {@code permission_denied}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the HTTP status of a unary response that carries this error. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Returns the code with the wire name {@code name}, or empty for a name the protocol does not define. */
  public static Optional<ConnectCode> fromWireName(String name) {
    for (ConnectCode code : values()) {
      if (code.wireName().equals(name)) {
        return Optional.of(code);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the code for an HTTP error status that came without a Connect error body, such as from a
   * proxy in front of the API, as the protocol's HTTP-to-code table says.
   */
  public static ConnectCode fromHttpStatus(int status) {
    return switch (status) {
      case 400 -> INTERNAL;
      case 401 -> UNAUTHENTICATED;
      case 403 -> PERMISSION_DENIED;
      case 404 -> UNIMPLEMENTED;
      case 429, 502, 503, 504 -> UNAVAILABLE;
      default -> UNKNOWN;
    };
  }
}
