package dev.depotrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A Docker Engine API call that failed: the engine returned an error status, or reported an error in
 * the message stream of a load, push or pull. The message is one line that names the operation and
 * contains the engine's own error text.
 */
public class EngineException extends IOException {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TEXT_LENGTH = 300;

  private final int status;

  /**
   * @param status the HTTP status, or 0 when the engine reported the error inside a 200 response's
   *     message stream
   */
  public EngineException(String message, int status, Throwable cause) {
    super(oneLine(message), cause);
    this.status = status;
  }

  /** Returns the HTTP status, or 0 when the error came inside a message stream or the connection failed. */
  public int status() {
    return status;
  }

  /** Builds the exception for an error status, with the engine's text from the body. */
  static EngineException fromResponse(String operation, HttpResponseHead head, byte[] body) {
    return new EngineException(
        operation + " failed: HTTP " + head.status() + ": " + errorText(head, body), head.status(), null);
  }

  /**
   * Returns the engine's error text from an error response: the {@code message} of its JSON body, else
   * the body itself, else the status line's reason phrase.
   */
  public static String errorText(HttpResponseHead head, byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    try {
      JsonNode json = JSON.readTree(text);
      if (json != null && json.hasNonNull("message")) {
        return json.get("message").asText();
      }
    } catch (IOException e) {
      // Not JSON: older engines return plain text for unknown paths.
    }
    if (text.isEmpty()) {
      return head.reason();
    }
    return text.length() > MAX_TEXT_LENGTH ? text.substring(0, MAX_TEXT_LENGTH) + "..." : text;
  }

  private static String oneLine(String message) {
    return message == null ? null : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
