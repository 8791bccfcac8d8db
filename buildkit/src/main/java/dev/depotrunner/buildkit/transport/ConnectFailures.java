package dev.depotrunner.buildkit.transport;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.FileNotFoundException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns the exceptions of a failed connection into the short reason a user message shows. */
final class ConnectFailures {

  private ConnectFailures() {}

  /** Returns a lower-case reason such as {@code connection refused} or {@code TLS handshake failed: ...}. */
  static String describe(Throwable error) {
    Throwable root = error;
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException) {
        return "TLS handshake failed: " + cause.getMessage();
      }
      if (cause instanceof UnknownHostException) {
        return "unknown host " + cause.getMessage();
      }
      if (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException) {
        // netty's native transport reports ENOENT on connect as a bare FileNotFoundException.
        return "no such file";
      }
      if (cause instanceof TimeoutException) {
        return "timed out" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
      }
      root = cause;
    }

    String message = root.getMessage() == null ? "" : root.getMessage();
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("no such file")) {
      return "no such file";
    }
    if (lower.contains("connection refused")) {
      return "connection refused";
    }
    if (lower.contains("permission denied")) {
      return "permission denied";
    }
    if (lower.contains("connection reset")) {
      return "connection reset";
    }
    if (root instanceof ClosedChannelException || message.isEmpty()) {
      if (error instanceof StatusRuntimeException status && status.getStatus().getDescription() != null) {
        return status.getStatus().getDescription();
      }
      return "connection closed";
    }
    return message;
  }

  /** Returns whether a gRPC failure means the builder was not reached, as opposed to an error it returned. */
  static boolean isUnreachable(StatusRuntimeException error) {
    Status.Code code = error.getStatus().getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }

  /** The maximum length of a status description in a version check error; netty's can run to kilobytes. */
  private static final int MAX_DESCRIPTION_LENGTH = 200;

  /**
   * Returns the reason a version check failed: the status code and the first line of its description,
   * shortened. A peer that replies with something other than HTTP/2 is named as not being BuildKit.
   */
  static String describeStatus(Status status) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    for (Throwable cause = status.getCause(); cause != null; cause = cause.getCause()) {
      description += "\n" + cause.getMessage();
    }
    if (description.contains("First received frame was not SETTINGS")) {
      return "it does not speak gRPC over HTTP/2; check that the address is a BuildKit endpoint";
    }

    String firstLine = description.lines().findFirst().orElse("").strip();
    if (firstLine.length() > MAX_DESCRIPTION_LENGTH) {
      firstLine = firstLine.substring(0, MAX_DESCRIPTION_LENGTH) + "...";
    }
    return firstLine.isEmpty() ? status.getCode().toString() : status.getCode() + ": " + firstLine;
  }
}
