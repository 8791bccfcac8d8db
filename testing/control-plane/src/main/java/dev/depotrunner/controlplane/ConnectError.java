package dev.depotrunner.controlplane;

import dev.depotrunner.depotapi.ConnectCode;
import java.util.Objects;

/** An error a handler returns to the caller as a Connect error with this code and message. */
public final class ConnectError extends RuntimeException {

  private final ConnectCode code;

  public ConnectError(ConnectCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ConnectCode code() {
    return code;
  }
}
