package dev.depotrunner.steps.bake.hcl;

import dev.depotrunner.hcl.HclException;
import dev.depotrunner.hcl.Json;
import dev.depotrunner.hcl.Type;
import dev.depotrunner.hcl.ValueException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an environment variable's text into a bake variable's value as buildx does: by the declared type
 * when there is one (JSON for {@code NAME_JSON}, CSV for lists, sets, tuples and maps), otherwise by the
 * type of the default value.
 */
final class EnvironmentOverride {

  private EnvironmentOverride() {}

  /** Reads {@code text} for a variable declared with {@code type}, or typed by its default when type is null. */
  static Object convert(String name, String text, boolean json, Type type, boolean hasDefault, Object defaultValue)
      throws ValueException {
    if (type != null && json) {
      Object decoded;
      try {
        decoded = Json.decode(name + "_JSON", text);
      } catch (HclException e) {
        throw new ValueException("failed to convert variable " + name + " from JSON: " + e.detail());
      }
      if (type instanceof Type.Any) {
        // cty reads a value of unknown type from JSON only in its wrapped form {"value": ..., "type": ...}.
        if (!(decoded instanceof Map<?, ?> wrapper) || !wrapper.containsKey("value") || !wrapper.containsKey("type")) {
          throw new ValueException("failed to convert variable " + name + " from JSON: a variable of type any needs"
              + " {\"value\": ..., \"type\": ...}");
        }
        return wrapper.get("value");
      }
      try {
        return type.convert(decoded);
      } catch (ValueException e) {
        throw new ValueException("failed to convert variable " + name + " from JSON: " + e.getMessage());
      }
    }
    if (type instanceof Type.Collection || type instanceof Type.TupleType) {
      return fromCsv(name, text, type);
    }
    if (type != null && type.isPrimitive()) {
      return primitive(name, text, type);
    }
    if (type != null) {
      // buildx rejects a plain override of a variable typed any, object or map of objects.
      throw new ValueException("unsupported type " + type.name() + " for variable " + name + " from the environment;"
          + " set " + name + "_JSON to a JSON value instead");
    }
    if (!hasDefault || defaultValue == null) {
      return text;
    }
    if (defaultValue instanceof String) {
      return text;
    }
    if (defaultValue instanceof Boolean) {
      return primitive(name, text, Type.BOOL);
    }
    if (defaultValue instanceof BigDecimal) {
      return primitive(name, text, Type.NUMBER);
    }
    throw new ValueException("unsupported type for variable " + name + " from the environment: its default is a "
        + dev.depotrunner.hcl.Values.typeName(defaultValue) + "; declare a type, or set " + name
        + "_JSON to a JSON value");
  }

  /** Parses a string as Go's strconv does for bool and float64. */
  static Object primitive(String name, String text, Type type) throws ValueException {
    if (type == Type.STRING) {
      return text;
    }
    if (type == Type.BOOL) {
      switch (text) {
        case "1", "t", "T", "TRUE", "true", "True":
          return true;
        case "0", "f", "F", "FALSE", "false", "False":
          return false;
        default:
          throw new ValueException("failed to parse " + name + " as bool: \"" + text + "\" is not true or false");
      }
    }
    try {
      double value = Double.parseDouble(text);
      if (Double.isNaN(value) || Double.isInfinite(value) || text.strip().length() != text.length()
          || text.matches(".*[a-zA-Z&&[^eE]].*")) {
        throw new NumberFormatException(text);
      }
      return dev.depotrunner.hcl.Values.normalize(new BigDecimal(Double.toString(value)));
    } catch (NumberFormatException e) {
      throw new ValueException("failed to parse " + name + " as number: \"" + text + "\" is not a number");
    }
  }

  private static Object fromCsv(String name, String text, Type type) throws ValueException {
    List<String> fields = csvFields(text, ',');
    if (type instanceof Type.TupleType tuple) {
      if (tuple.elements().size() != fields.size()) {
        throw new ValueException(type.name() + " expects " + tuple.elements().size() + " elements but "
            + fields.size() + " were provided in " + name);
      }
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < fields.size(); i++) {
        values.add(primitiveElement(name, fields.get(i), tuple.elements().get(i), type));
      }
      return values;
    }
    Type.Collection collection = (Type.Collection) type;
    if (collection.kind().equals("map")) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String field : fields) {
        List<String> pair = csvFields(field, ':');
        if (pair.size() != 2) {
          throw new ValueException("expected one key:value pair in " + name + " but got " + pair.size()
              + " pieces from " + field);
        }
        values.put(pair.get(0), primitiveElement(name, pair.get(1), collection.element(), type));
      }
      return values;
    }
    List<Object> values = new ArrayList<>();
    for (String field : fields) {
      values.add(primitiveElement(name, field, collection.element(), type));
    }
    return collection.convert(values);
  }

  private static Object primitiveElement(String name, String text, Type element, Type whole) throws ValueException {
    if (!element.isPrimitive()) {
      throw new ValueException("unsupported type " + whole.name() + " for CSV in " + name + "; set " + name
          + "_JSON to a JSON value instead");
    }
    return primitive(name, text, element);
  }

  /** Splits one CSV record (RFC 4180 quoting) at {@code separator}. */
  static List<String> csvFields(String text, char separator) throws ValueException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    while (true) {
      if (i < text.length() && text.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new ValueException("failed to parse \"" + text + "\" as CSV: a quoted field is not closed");
          }
          char c = text.charAt(i);
          if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
          } else if (c == '"') {
            i++;
            break;
          } else {
            field.append(c);
            i++;
          }
        }
      }
      while (i < text.length() && text.charAt(i) != separator) {
        field.append(text.charAt(i));
        i++;
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= text.length()) {
        return fields;
      }
      i++;
    }
  }
}
