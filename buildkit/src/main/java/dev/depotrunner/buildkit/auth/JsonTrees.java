package dev.depotrunner.buildkit.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads JSON into Jackson's tree model as {@code ObjectMapper.readTree} does with its defaults, but
 * with the streaming parser alone. Every build reads the docker config, and creating the first
 * ObjectMapper took about a tenth of the CPU samples of a cached build (JFR, JDK 25).
 */
final class JsonTrees {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /**
   * Returns the first JSON value in {@code json}, or a {@link MissingNode} when there is none. Like
   * {@code readTree}, it ignores what follows that value, and the last of duplicate keys wins.
   *
   * @throws IOException if the value is not well-formed JSON
   */
  static JsonNode read(byte[] json) throws IOException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return read(parser);
    }
  }

  /** Reads a string as {@link #read(byte[])} reads bytes. */
  static JsonNode read(String json) throws IOException {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return read(parser);
    }
  }

  static ObjectNode emptyObject() {
    return NODES.objectNode();
  }

  private static JsonNode read(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      return MissingNode.getInstance();
    }
    return value(parser, token);
  }

  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> object(parser);
      case START_ARRAY -> array(parser);
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> NODES.numberNode(parser.getIntValue());
        case LONG -> NODES.numberNode(parser.getLongValue());
        default -> NODES.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IOException("unexpected JSON token " + token);
    };
  }

  private static ObjectNode object(JsonParser parser) throws IOException {
    ObjectNode object = NODES.objectNode();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      object.set(name, value(parser, next(parser)));
    }
    if (token != JsonToken.END_OBJECT) {
      throw new IOException("unexpected end of a JSON object");
    }
    return object;
  }

  private static ArrayNode array(JsonParser parser) throws IOException {
    ArrayNode array = NODES.arrayNode();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw new IOException("unexpected end of a JSON array");
      }
      array.add(value(parser, token));
    }
    return array;
  }

  private static JsonToken next(JsonParser parser) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new IOException("unexpected end of JSON input");
    }
    return token;
  }
}
