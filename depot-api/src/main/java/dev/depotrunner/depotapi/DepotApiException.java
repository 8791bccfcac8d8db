package dev.depotrunner.depotapi;

/**
 * A failed call to Depot's API, with its Connect error code. The message is one line that names the
 * call, the code, the server's own message and what to do next; it never contains the token.
 */
public final class DepotApiException extends Exception {

  private final ConnectCode code;
  private final String method;
  private final String serverMessage;

  DepotApiException(ConnectCode code, String method, String serverMessage, Throwable cause) {
    super(describe(code, method, serverMessage), cause);
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

  private static String describe(ConnectCode code, String method, String serverMessage) {
    String detail = serverMessage == null || serverMessage.isBlank() ? "" : ": " + oneLine(serverMessage);
    String failed = "Depot API call " + method + " failed (" + code.wireName() + detail + ")";
    return switch (code) {
      case UNAUTHENTICATED -> failed + "; check the token in --token or DEPOT_TOKEN, or log in again";
      case PERMISSION_DENIED -> failed + "; check that the token belongs to the organization of the project";
      case NOT_FOUND -> failed + "; check the project ID in --project, DEPOT_PROJECT_ID or depot.json";
      case RESOURCE_EXHAUSTED -> failed + "; a usage limit of the organization is reached, retry later or raise it";
      case UNAVAILABLE -> failed + "; check DEPOT_API_URL and the network, then retry";
      case DEADLINE_EXCEEDED -> failed + "; the API did not answer in time, retry";
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> failed + "; check the build's options";
      case UNIMPLEMENTED -> failed + "; the API at DEPOT_API_URL does not serve this call";
      default -> failed;
    };
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
