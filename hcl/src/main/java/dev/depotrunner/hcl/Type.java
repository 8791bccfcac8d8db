package dev.depotrunner.hcl;

import dev.depotrunner.hcl.Expression.Call;
import dev.depotrunner.hcl.Expression.ObjectCons;
import dev.depotrunner.hcl.Expression.Template;
import dev.depotrunner.hcl.Expression.TemplatePart;
import dev.depotrunner.hcl.Expression.TupleCons;
import dev.depotrunner.hcl.Expression.Variable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A type constraint as HCL's type expressions write it ({@code string}, {@code list(number)},
 * {@code object({name = string})}, {@code any}), and conversion of values to it.
 */
public sealed interface Type {

  Type STRING = new Primitive("string");
  Type NUMBER = new Primitive("number");
  Type BOOL = new Primitive("bool");
  Type ANY = new Any();

  /** Converts a value to this type, as cty's convert package does; null converts to null. */
  Object convert(Object value) throws ValueException;

  /** The type as a type expression. */
  String name();

  /** Returns whether this is string, number or bool. */
  default boolean isPrimitive() {
    return this instanceof Primitive;
  }

  record Primitive(String name) implements Type {

    @Override
    public Object convert(Object value) throws ValueException {
      if (value == null) {
        return null;
      }
      return switch (name) {
        case "string" -> Values.toStringValue(value);
        case "number" -> Values.toNumber(value);
        default -> Values.toBool(value);
      };
    }
  }

  record Any() implements Type {

    @Override
    public Object convert(Object value) {
      return value;
    }

    @Override
    public String name() {
      return "any";
    }
  }

  /** {@code list(T)}, {@code set(T)} or {@code map(T)}. */
  record Collection(String kind, Type element) implements Type {

    @Override
    public Object convert(Object value) throws ValueException {
      if (value == null) {
        return null;
      }
      if (kind.equals("map")) {
        if (!(value instanceof Map<?, ?> map)) {
          throw new ValueException(name() + " required, but the value is a " + Values.typeName(value));
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          converted.put((String) entry.getKey(), convertElement(entry.getValue(), "[\"" + entry.getKey() + "\"]"));
        }
        return converted;
      }
      if (!(value instanceof List<?> list)) {
        throw new ValueException(name() + " required, but the value is a " + Values.typeName(value));
      }
      List<Object> converted = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        converted.add(convertElement(list.get(i), "[" + i + "]"));
      }
      if (kind.equals("set")) {
        return Collection.distinctSorted(converted);
      }
      return converted;
    }

    private Object convertElement(Object value, String path) throws ValueException {
      try {
        return element.convert(value);
      } catch (ValueException e) {
        throw new ValueException("element " + path + ": " + e.getMessage());
      }
    }

    /** Removes duplicates and orders strings and numbers as cty sets iterate them. */
    static List<Object> distinctSorted(List<Object> values) {
      List<Object> distinct = new ArrayList<>();
      for (Object value : values) {
        if (distinct.stream().noneMatch(existing -> Values.equal(existing, value))) {
          distinct.add(value);
        }
      }
      if (distinct.stream().allMatch(v -> v instanceof String)) {
        distinct.sort((a, b) -> ((String) a).compareTo((String) b));
      } else if (distinct.stream().allMatch(v -> v instanceof BigDecimal)) {
        distinct.sort((a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b));
      }
      return distinct;
    }

    @Override
    public String name() {
      return kind + "(" + element.name() + ")";
    }
  }

  /** {@code object({a = T, b = optional(U)})}. */
  record ObjectType(Map<String, Type> attributes, Set<String> optional) implements Type {

    @Override
    public Object convert(Object value) throws ValueException {
      if (value == null) {
        return null;
      }
      if (!(value instanceof Map<?, ?> map)) {
        throw new ValueException("object required, but the value is a " + Values.typeName(value));
      }
      Map<String, Object> converted = new TreeMap<>();
      for (Map.Entry<String, Type> attribute : attributes.entrySet()) {
        String key = attribute.getKey();
        if (!map.containsKey(key)) {
          if (!optional.contains(key)) {
            throw new ValueException("attribute \"" + key + "\" is required");
          }
          converted.put(key, null);
          continue;
        }
        try {
          converted.put(key, attribute.getValue().convert(map.get(key)));
        } catch (ValueException e) {
          throw new ValueException("attribute \"" + key + "\": " + e.getMessage());
        }
      }
      return new LinkedHashMap<>(converted);
    }

    @Override
    public String name() {
      List<String> parts = new ArrayList<>();
      for (Map.Entry<String, Type> attribute : attributes.entrySet()) {
        String type = attribute.getValue().name();
        parts.add(attribute.getKey() + "=" + (optional.contains(attribute.getKey()) ? "optional(" + type + ")" : type));
      }
      return "object({" + String.join(",", parts) + "})";
    }
  }

  /** {@code tuple([T, U])}. */
  record TupleType(List<Type> elements) implements Type {

    @Override
    public Object convert(Object value) throws ValueException {
      if (value == null) {
        return null;
      }
      if (!(value instanceof List<?> list) || list.size() != elements.size()) {
        throw new ValueException(name() + " required, a tuple of " + elements.size() + " elements");
      }
      List<Object> converted = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        converted.add(elements.get(i).convert(list.get(i)));
      }
      return converted;
    }

    @Override
    public String name() {
      List<String> parts = new ArrayList<>();
      for (Type element : elements) {
        parts.add(element.name());
      }
      return "tuple([" + String.join(",", parts) + "])";
    }
  }

  /**
   * Reads a type expression. A JSON string holding one ({@code "list(string)"}) is read too, since JSON
   * files can only write types that way.
   */
  public static Type parse(Expression expression) throws HclException {
    if (expression instanceof Template template && template.parts().size() == 1
        && template.parts().get(0) instanceof TemplatePart.Text text) {
      Position at = template.position();
      return parse(new Parser(at.file(), text.text(), at.line(), at.column()).parseWholeExpression());
    }
    if (expression instanceof Variable variable) {
      return switch (variable.name()) {
        case "string" -> STRING;
        case "number" -> NUMBER;
        case "bool" -> BOOL;
        case "any" -> ANY;
        default -> throw invalid(expression);
      };
    }
    if (!(expression instanceof Call call) || call.arguments().size() != 1) {
      throw invalid(expression);
    }
    Expression argument = call.arguments().get(0);
    switch (call.name()) {
      case "list", "set", "map":
        return new Collection(call.name(), parse(argument));
      case "tuple": {
        if (!(argument instanceof TupleCons tuple)) {
          throw new HclException(argument.position(), "tuple() needs a list of types, as in tuple([string, number])");
        }
        List<Type> elements = new ArrayList<>();
        for (Expression element : tuple.elements()) {
          elements.add(parse(element));
        }
        return new TupleType(List.copyOf(elements));
      }
      case "object": {
        if (!(argument instanceof ObjectCons object)) {
          throw new HclException(argument.position(), "object() needs attribute types, as in object({name = string})");
        }
        Map<String, Type> attributes = new TreeMap<>();
        Set<String> optional = new LinkedHashSet<>();
        for (int i = 0; i < object.keys().size(); i++) {
          Expression key = object.keys().get(i);
          String name = key instanceof Expression.Literal literal && literal.value() instanceof String string
              ? string
              : Expression.keyword(key).orElseThrow(() -> new HclException(key.position(),
                  "an object type attribute name must be a plain name"));
          Expression value = object.values().get(i);
          if (value instanceof Call optionalCall && optionalCall.name().equals("optional")) {
            optional.add(name);
            value = optionalCall.arguments().get(0);
          }
          attributes.put(name, parse(value));
        }
        return new ObjectType(attributes, optional);
      }
      default:
        throw invalid(expression);
    }
  }

  private static HclException invalid(Expression expression) {
    return new HclException(expression.position(), "invalid type: write string, number, bool, any, list(T), "
        + "set(T), map(T), tuple([...]) or object({...})");
  }
}
