package dev.depotrunner.hcl;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON value with the position it was read from. */
sealed interface JsonNode {

  Position position();

  record JsonObject(List<Member> members, Position position) implements JsonNode {}

  record Member(String name, Position namePosition, JsonNode value) {}

  record JsonArray(List<JsonNode> elements, Position position) implements JsonNode {}

  /** A string; {@code contentPosition} is that of its first character after the quote. */
  record JsonString(String value, Position position, Position contentPosition) implements JsonNode {}

  record JsonScalar(Object value, Position position) implements JsonNode {}

  /** Converts to the plain value model: maps keep member order, a later duplicate member wins. */
  static Object toValue(JsonNode node) {
    if (node instanceof JsonObject object) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Member member : object.members()) {
        map.put(member.name(), toValue(member.value()));
      }
      return map;
    }
    if (node instanceof JsonArray array) {
      List<Object> list = new ArrayList<>();
      for (JsonNode element : array.elements()) {
        list.add(toValue(element));
      }
      return list;
    }
    if (node instanceof JsonString string) {
      return string.value();
    }
    Object scalar = ((JsonScalar) node).value();
    return scalar instanceof BigDecimal number ? Values.normalize(number) : scalar;
  }
}
