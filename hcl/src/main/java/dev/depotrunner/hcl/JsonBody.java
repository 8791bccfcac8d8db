package dev.depotrunner.hcl;

import dev.depotrunner.hcl.Expression.Literal;
import dev.depotrunner.hcl.Expression.ObjectCons;
import dev.depotrunner.hcl.Expression.TupleCons;
import dev.depotrunner.hcl.JsonNode.JsonArray;
import dev.depotrunner.hcl.JsonNode.JsonObject;
import dev.depotrunner.hcl.JsonNode.JsonScalar;
import dev.depotrunner.hcl.JsonNode.JsonString;
import dev.depotrunner.hcl.JsonNode.Member;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A body in HCL's JSON syntax: a JSON object whose properties are attributes or, when the schema names
 * them, blocks nested one object level per label. Strings are templates; a {@code "//"} property is a
 * comment.
 */
record JsonBody(JsonObject object) implements Body {

  @Override
  public Position position() {
    return object.position();
  }

  @Override
  public Content content(Map<String, Integer> blockTypes) throws HclException {
    List<Attribute> attributes = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    Map<String, Position> seen = new HashMap<>();
    for (Member member : object.members()) {
      if (member.name().equals("//")) {
        continue;
      }
      Integer labels = blockTypes.get(member.name());
      if (labels != null) {
        readBlocks(member.name(), member.value(), labels, new ArrayList<>(), new ArrayList<>(), member.namePosition(),
            blocks);
        continue;
      }
      Position previous = seen.put(member.name(), member.namePosition());
      if (previous != null) {
        throw new HclException(member.namePosition(), "attribute " + member.name() + " is already set at "
            + previous + "; remove one of them");
      }
      attributes.add(new Attribute(member.name(), expression(member.value()), member.namePosition()));
    }
    return new Content(attributes, blocks);
  }

  private static void readBlocks(String type, JsonNode value, int labelsLeft, List<String> labels,
      List<Position> labelPositions, Position typePosition, List<Block> blocks) throws HclException {
    if (labelsLeft > 0) {
      if (!(value instanceof JsonObject labelObject)) {
        throw new HclException(value.position(), "a " + type + " block needs a JSON object keyed by its label,"
            + " as in {\"" + type + "\": {\"name\": {...}}}");
      }
      for (Member member : labelObject.members()) {
        if (member.name().equals("//")) {
          continue;
        }
        List<String> nextLabels = new ArrayList<>(labels);
        nextLabels.add(member.name());
        List<Position> nextPositions = new ArrayList<>(labelPositions);
        nextPositions.add(member.namePosition());
        readBlocks(type, member.value(), labelsLeft - 1, nextLabels, nextPositions, typePosition, blocks);
      }
      return;
    }

    if (value instanceof JsonArray array) {
      for (JsonNode element : array.elements()) {
        readBlocks(type, element, 0, labels, labelPositions, typePosition, blocks);
      }
      return;
    }
    if (!(value instanceof JsonObject body)) {
      throw new HclException(value.position(), "the body of a " + type + " block must be a JSON object");
    }
    Position at = labelPositions.isEmpty() ? typePosition : labelPositions.get(0);
    blocks.add(new Block(type, List.copyOf(labels), List.copyOf(labelPositions), new JsonBody(body), at));
  }

  /** Reads a JSON value as an expression: strings become templates, arrays tuples, objects objects. */
  static Expression expression(JsonNode node) throws HclException {
    if (node instanceof JsonString string) {
      Position at = string.contentPosition();
      return new Parser(at.file(), string.value(), at.line(), at.column()).parseWholeTemplate();
    }
    if (node instanceof JsonScalar scalar) {
      return new Literal(JsonNode.toValue(scalar), scalar.position());
    }
    if (node instanceof JsonArray array) {
      List<Expression> elements = new ArrayList<>();
      for (JsonNode element : array.elements()) {
        elements.add(expression(element));
      }
      return new TupleCons(List.copyOf(elements), array.position());
    }
    JsonObject object = (JsonObject) node;
    List<Expression> keys = new ArrayList<>();
    List<Expression> values = new ArrayList<>();
    for (Member member : object.members()) {
      if (member.name().equals("//")) {
        continue;
      }
      Position at = member.namePosition();
      keys.add(new Parser(at.file(), member.name(), at.line(), at.column() + 1).parseWholeTemplate());
      values.add(expression(member.value()));
    }
    return new ObjectCons(List.copyOf(keys), List.copyOf(values), object.position());
  }
}
