package dev.depotrunner.controlplane;

import com.google.protobuf.Message;
import dev.depotrunner.depotapi.ConnectCode;
import java.time.Instant;
import java.util.Optional;

/**
 * One call the {@link ConnectServer} received.
 *
 * @param path the HTTP path, such as {@code /depot.cli.v1.BuildService/CreateBuild}
 * @param context the request headers
 * @param request the request message, or null when it could not be parsed
 * @param error the code the call failed with, or null when it succeeded
 * @param at when the call arrived
 */
public record RecordedCall(String path, CallContext context, Message request, ConnectCode error, Instant at) {

  /** Returns the Authorization header as sent, such as {@code Bearer abc}. */
  public Optional<String> authorization() {
    return context.header("Authorization");
  }

  public boolean failed() {
    return error != null;
  }
}
