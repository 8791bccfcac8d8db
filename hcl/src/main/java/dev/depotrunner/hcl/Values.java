package dev.depotrunner.hcl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Operations on the value model shared by the evaluator and functions. A value is null, {@link Boolean},
 * {@link BigDecimal}, {@link String}, {@code List<Object>} (tuple or list) or {@code Map<String, Object>}
 * (object or map, insertion-ordered). Conversions follow go-cty's: numbers and bools convert to strings and
 * back, nothing else converts implicitly.
 */
public final class Values {

  private Values() {}

  /** Returns the HCL type name of a value, for messages. */
  public static String typeName(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof BigDecimal) {
      return "number";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof List) {
      return "tuple";
    }
    if (value instanceof Map) {
      return "object";
    }
    throw new IllegalArgumentException("not an HCL value: " + value.getClass().getName());
  }

  /** Returns a number without trailing zeros and with a scale of at least 0, so equal numbers print alike. */
  public static BigDecimal normalize(BigDecimal number) {
    BigDecimal stripped = number.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  public static BigDecimal number(long value) {
    return BigDecimal.valueOf(value);
  }

  /** Converts a string, number or bool to a string as cty does; numbers print in plain decimal. */
  public static String toStringValue(Object value) throws ValueException {
    if (value instanceof String string) {
      return string;
    }
    if (value instanceof BigDecimal number) {
      return normalize(number).toPlainString();
    }
    if (value instanceof Boolean bool) {
      return bool.toString();
    }
    if (value == null) {
      throw new ValueException("a string is required, but the value is null");
    }
    throw new ValueException("a string is required, but the value is a " + typeName(value));
  }

  /** Converts a number, or a string holding a decimal number, to a number. */
  public static BigDecimal toNumber(Object value) throws ValueException {
    if (value instanceof BigDecimal number) {
      return number;
    }
    if (value instanceof String string) {
      // BigDecimal accepts what cty's number parser accepts, except surrounding whitespace, which cty rejects.
      boolean padded = !string.strip().equals(string);
      try {
        if (!padded) {
          return normalize(new BigDecimal(string));
        }
      } catch (NumberFormatException e) {
        // Reported below.
      }
      throw new ValueException("a number is required, but \"" + string + "\" is not a number");
    }
    if (value == null) {
      throw new ValueException("a number is required, but the value is null");
    }
    throw new ValueException("a number is required, but the value is a " + typeName(value));
  }

  /** Converts a bool, or the strings true, false, 1 and 0, to a bool. */
  public static boolean toBool(Object value) throws ValueException {
    if (value instanceof Boolean bool) {
      return bool;
    }
    if (value instanceof String string) {
      switch (string) {
        case "true", "1":
          return true;
        case "false", "0":
          return false;
        default:
          throw new ValueException("a bool is required, but \"" + string + "\" is not true or false");
      }
    }
    if (value == null) {
      throw new ValueException("a bool is required, but the value is null");
    }
    throw new ValueException("a bool is required, but the value is a " + typeName(value));
  }

  /** Converts a number to an int, rejecting fractions and values out of range. */
  public static int toInt(Object value) throws ValueException {
    BigDecimal number = toNumber(value);
    try {
      return normalize(number).intValueExact();
    } catch (ArithmeticException e) {
      throw new ValueException("a whole number is required, but the value is " + toStringValue(number));
    }
  }

  /** Converts a number to a big integer, rejecting fractions. */
  public static BigInteger toInteger(Object value) throws ValueException {
    BigDecimal number = toNumber(value);
    try {
      return number.toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new ValueException("a whole number is required, but the value is " + toStringValue(number));
    }
  }

  /** Compares two values as HCL's {@code ==} does: same type and same content, numbers by value. */
  public static boolean equal(Object left, Object right) {
    if (left == null || right == null) {
      return left == right;
    }
    if (left instanceof BigDecimal a && right instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    if (left instanceof List<?> a && right instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<?> first = a.iterator();
      Iterator<?> second = b.iterator();
      while (first.hasNext()) {
        if (!equal(first.next(), second.next())) {
          return false;
        }
      }
      return true;
    }
    if (left instanceof Map<?, ?> a && right instanceof Map<?, ?> b) {
      if (!a.keySet().equals(b.keySet())) {
        return false;
      }
      for (Map.Entry<?, ?> entry : a.entrySet()) {
        if (!equal(entry.getValue(), b.get(entry.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(left, right);
  }

  /** Renders a value for an error message, shortened when long. */
  public static String describe(Object value) {
    String text;
    if (value instanceof String string) {
      text = '"' + string + '"';
    } else if (value instanceof BigDecimal || value instanceof Boolean || value == null) {
      text = String.valueOf(value instanceof BigDecimal number ? normalize(number).toPlainString() : value);
    } else {
      text = Json.encode(value);
    }
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
