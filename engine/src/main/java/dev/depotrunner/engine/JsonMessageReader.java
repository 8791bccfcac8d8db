package dev.depotrunner.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads the JSON message stream of a load, push or pull: JSON objects one after another (the engine
 * ends each with a newline) until the body ends. The first message that carries an error ends the
 * reading with an {@link EngineException}, as the docker CLI stops at it.
 */
final class JsonMessageReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonMessageReader() {}

  /**
   * Passes each message to {@code listener} and returns the last message with auxiliary data, or null.
   *
   * @param operation names the call in an error, such as {@code push 127.0.0.1:5000/app:1}
   * @throws EngineException if a message carries an error, or the stream is not JSON
   */
  static JsonMessage read(InputStream body, String operation, Consumer<JsonMessage> listener) throws IOException {
    JsonMessage lastAux = null;
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token != JsonToken.START_OBJECT) {
          throw new EngineException(operation + " failed: the engine sent " + token + " in its message stream instead of a JSON object", 0, null);
        }
        JsonMessage message = JsonMessage.fromJson(JSON.readTree(parser));
        if (message.isError()) {
          throw new EngineException(operation + " failed: " + message.error(), 0, null);
        }
        if (!message.aux().isMissingNode()) {
          lastAux = message;
        }
        listener.accept(message);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new EngineException(operation + " failed: invalid JSON in the engine's message stream: " + e.getOriginalMessage(), 0, e);
    }
    return lastAux;
  }
}
