package dev.depotrunner.hcl;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Typed access to function arguments; each failure names the argument's index for the error position. */
final class Arguments {

  private Arguments() {}

  static String string(List<Object> arguments, int index) throws ValueException {
    Object value = notNull(arguments, index);
    try {
      return Values.toStringValue(value);
    } catch (ValueException e) {
      throw new ValueException(index, e.getMessage());
    }
  }

  static BigDecimal number(List<Object> arguments, int index) throws ValueException {
    Object value = notNull(arguments, index);
    try {
      return Values.toNumber(value);
    } catch (ValueException e) {
      throw new ValueException(index, e.getMessage());
    }
  }

  static int integer(List<Object> arguments, int index) throws ValueException {
    Object value = notNull(arguments, index);
    try {
      return Values.toInt(value);
    } catch (ValueException e) {
      throw new ValueException(index, e.getMessage());
    }
  }

  static boolean bool(List<Object> arguments, int index) throws ValueException {
    Object value = notNull(arguments, index);
    try {
      return Values.toBool(value);
    } catch (ValueException e) {
      throw new ValueException(index, e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(List<Object> arguments, int index) throws ValueException {
    Object value = notNull(arguments, index);
    if (!(value instanceof List)) {
      throw new ValueException(index, "a list or tuple is required, but the value is a " + Values.typeName(value));
    }
    return (List<Object>) value;
  }

  /** A list whose elements must all be strings (numbers and bools convert), such as for join. */
  static List<String> strings(List<Object> arguments, int index) throws ValueException {
    List<Object> list = list(arguments, index);
    List<String> strings = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object element = list.get(i);
      if (element == null) {
        throw new ValueException(index, "element " + i + " is null; remove it or give it a value");
      }
      try {
        strings.add(Values.toStringValue(element));
      } catch (ValueException e) {
        throw new ValueException(index, "element " + i + ": " + e.getMessage());
      }
    }
    return strings;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(List<Object> arguments, int index) throws ValueException {
    Object value = notNull(arguments, index);
    if (!(value instanceof Map)) {
      throw new ValueException(index, "a map or object is required, but the value is a " + Values.typeName(value));
    }
    return (Map<String, Object>) value;
  }

  static Object notNull(List<Object> arguments, int index) throws ValueException {
    Object value = arguments.get(index);
    if (value == null) {
      throw new ValueException(index, "the argument must not be null");
    }
    return value;
  }
}
