package dev.depotrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One message of the JSON stream that a load, push or pull returns (the engine's {@code JSONMessage}):
 * a progress line, a line of output, auxiliary data such as the pushed digest, or an error.
 *
 * @param id the layer or tag the message is about, or empty
 * @param status a status line such as {@code Pushed} or {@code Waiting}, or empty
 * @param progress the rendered progress bar, or empty
 * @param current the bytes done, or 0
 * @param total the bytes expected, or 0 when unknown
 * @param units the unit of {@code current} and {@code total} when they are not bytes, such as {@code s} for
 *     the seconds an extraction has taken, or empty
 * @param stream a line of output such as {@code Loaded image: app:latest}, or empty
 * @param error the error text ({@code errorDetail.message}, else {@code error}), or empty
 * @param aux the {@code aux} object, or a missing node
 */
public record JsonMessage(
    String id,
    String status,
    String progress,
    long current,
    long total,
    String units,
    String stream,
    String error,
    JsonNode aux) {

  static JsonMessage fromJson(JsonNode json) {
    String error = json.path("errorDetail").path("message").asText("");
    if (error.isEmpty()) {
      error = json.path("error").asText("");
    }
    JsonNode aux = json.has("aux") ? json.get("aux") : MissingNode.getInstance();
    return new JsonMessage(
        json.path("id").asText(""),
        json.path("status").asText(""),
        json.path("progress").asText(""),
        json.path("progressDetail").path("current").asLong(0),
        json.path("progressDetail").path("total").asLong(0),
        json.path("progressDetail").path("units").asText(""),
        json.path("stream").asText(""),
        error,
        aux);
  }

  public boolean isError() {
    return !error.isEmpty();
  }
}
