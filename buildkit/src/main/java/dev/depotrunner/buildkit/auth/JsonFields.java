package dev.depotrunner.buildkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Field lookups that match JSON keys the way Go's encoding/json does: an exact match first, then
 * any key equal ignoring case. Docker and credential helpers are written in Go, so their files
 * and outputs are read with these rules.
 */
final class JsonFields {

  private JsonFields() {}

  /** Returns the field's node, or null when the object has no such field. */
  static JsonNode get(JsonNode object, String name) {
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equalsIgnoreCase(name)) {
        return field.getValue();
      }
    }
    return null;
  }

  /** Returns the field's string value, or an empty string when it is missing, null or no string. */
  static String text(JsonNode object, String name) {
    JsonNode value = get(object, name);
    return value != null && value.isTextual() ? value.textValue() : "";
  }
}
