package dev.depotrunner.depotapi;

import java.util.Optional;

/**
 * A failed call to Depot's API, with its Connect error code. The message is one line that names the
 * call, the code, the server's own message and what to do next; it never contains the token.
 */
public final class DepotApiException extends Exception {

  private final ConnectCode code;
  private final String method;
  private final String serverMessage;

  DepotApiException(ConnectCode code, String method, String serverMessage, Throwable cause) {
    this(code, method, serverMessage, false, cause);
  }

  /**
   * @param buildIdGiven whether the request carries a build ID that the user gave, so that not_found
   *     means an unknown build rather than an unknown project
   */
  DepotApiException(ConnectCode code, String method, String serverMessage, boolean buildIdGiven, Throwable cause) {
    super(failure(code, method, serverMessage) + hint(code, buildIdGiven).map(hint -> "; " + hint).orElse(""), cause);
    this.code = code;
    this.method = method;
    this.serverMessage = serverMessage == null ? "" : serverMessage;
  }

  /** The Connect error code; {@link ConnectCode#UNAVAILABLE} also covers a server that cannot be reached. */
  public ConnectCode code() {
    return code;
  }

  /** The call that failed, such as {@code BuildService.CreateBuild}. */
  public String method() {
    return method;
  }

  /** The server's own error message, or empty. */
  public String serverMessage() {
    return serverMessage;
  }

  /**
   * Returns the message with {@code hint} in place of the general next step, for callers that know
   * better where the failing value came from.
   */
  public String messageWithHint(String hint) {
    return failure(code, method, serverMessage) + "; " + hint;
  }

  private static String failure(ConnectCode code, String method, String serverMessage) {
    String detail = serverMessage == null || serverMessage.isBlank() ? "" : ": " + oneLine(serverMessage);
    return "Depot API call " + method + " failed (" + code.wireName() + detail + ")";
  }

  private static Optional<String> hint(ConnectCode code, boolean buildIdGiven) {
    return Optional.ofNullable(switch (code) {
      case UNAUTHENTICATED -> "check the token in --token or DEPOT_TOKEN, or log in again";
      case PERMISSION_DENIED -> "check that the token belongs to the organization of the project";
      case NOT_FOUND -> buildIdGiven
          ? "check the build ID (depot list builds shows them)"
          : "check the project ID in --project, DEPOT_PROJECT_ID or depot.json";
      case RESOURCE_EXHAUSTED -> "a usage limit of the organization is reached, retry later or raise it";
      case UNAVAILABLE -> "check DEPOT_API_URL and the network, then retry";
      case DEADLINE_EXCEEDED -> "the API did not answer in time, retry";
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> "check the build's options";
      case UNIMPLEMENTED -> "the API at DEPOT_API_URL does not serve this call";
      default -> null;
    });
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
