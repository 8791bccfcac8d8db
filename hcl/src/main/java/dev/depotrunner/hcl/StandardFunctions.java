package dev.depotrunner.hcl;

import static dev.depotrunner.hcl.Arguments.bool;
import static dev.depotrunner.hcl.Arguments.integer;
import static dev.depotrunner.hcl.Arguments.list;
import static dev.depotrunner.hcl.Arguments.map;
import static dev.depotrunner.hcl.Arguments.notNull;
import static dev.depotrunner.hcl.Arguments.number;
import static dev.depotrunner.hcl.Arguments.string;
import static dev.depotrunner.hcl.Arguments.strings;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The functions of go-cty's stdlib package, HCL's {@code try}, {@code can} and {@code convert}, and the
 * encoding, crypto, uuid and cidr functions of hashicorp/go-cty-funcs, under the names HCL tools register
 * them. Not included: {@code bcrypt}, {@code rsadecrypt}, {@code byteslen} and {@code bytesslice}.
 */
public final class StandardFunctions {

  private StandardFunctions() {}

  /** Returns a new mutable map of all functions by name. */
  public static Map<String, HclFunction> all() {
    Map<String, HclFunction> functions = new HashMap<>();
    addNumeric(functions);
    addLogic(functions);
    addStrings(functions);
    addCollections(functions);
    addSets(functions);
    addEncoding(functions);
    addSpecial(functions);
    functions.put("format", HclFunction.variadic(1, a -> Formats.format(string(a, 0), a.subList(1, a.size()))));
    functions.put("formatlist", HclFunction.variadic(1, Formats::formatList));
    functions.put("formatdate", HclFunction.of(2, a -> Formats.formatDate(string(a, 0), string(a, 1), 1)));
    functions.put("timeadd", HclFunction.of(2, a -> Formats.timeAdd(string(a, 0), string(a, 1))));
    functions.put("cidrhost", HclFunction.of(2, a -> Networks.host(string(a, 0), number(a, 1))));
    functions.put("cidrnetmask", HclFunction.of(1, a -> Networks.netmask(string(a, 0))));
    functions.put("cidrsubnet", HclFunction.of(3, a -> Networks.subnet(string(a, 0), integer(a, 1), number(a, 2))));
    functions.put("cidrsubnets", HclFunction.variadic(1, Networks::subnets));
    return functions;
  }

  // ---- numbers

  private static void addNumeric(Map<String, HclFunction> functions) {
    functions.put("absolute", HclFunction.of(1, a -> number(a, 0).abs()));
    functions.put("add", HclFunction.of(2, a -> Values.normalize(number(a, 0).add(number(a, 1)))));
    functions.put("subtract", HclFunction.of(2, a -> Values.normalize(number(a, 0).subtract(number(a, 1)))));
    functions.put("multiply", HclFunction.of(2, a -> Values.normalize(number(a, 0).multiply(number(a, 1)))));
    functions.put("divide", HclFunction.of(2, a -> {
      BigDecimal divisor = number(a, 1);
      if (divisor.signum() == 0) {
        throw new ValueException(1, "division by zero");
      }
      return Values.normalize(number(a, 0).divide(divisor, MathContext.DECIMAL128));
    }));
    functions.put("modulo", HclFunction.of(2, a -> {
      BigDecimal divisor = number(a, 1);
      if (divisor.signum() == 0) {
        throw new ValueException(1, "modulo by zero");
      }
      return Values.normalize(number(a, 0).remainder(divisor));
    }));
    functions.put("negate", HclFunction.of(1, a -> Values.normalize(number(a, 0).negate())));
    functions.put("signum", HclFunction.of(1, a -> BigDecimal.valueOf(number(a, 0).signum())));
    functions.put("ceil", HclFunction.of(1, a -> Values.normalize(number(a, 0).setScale(0, RoundingMode.CEILING))));
    functions.put("floor", HclFunction.of(1, a -> Values.normalize(number(a, 0).setScale(0, RoundingMode.FLOOR))));
    functions.put("int", HclFunction.of(1, a -> Values.normalize(number(a, 0).setScale(0, RoundingMode.DOWN))));
    functions.put("log", HclFunction.of(2, a -> decimal(Math.log(number(a, 0).doubleValue())
        / Math.log(number(a, 1).doubleValue()))));
    functions.put("pow", HclFunction.of(2, a -> {
      BigDecimal base = number(a, 0);
      BigDecimal exponent = number(a, 1);
      if (exponent.signum() >= 0 && exponent.stripTrailingZeros().scale() <= 0 && exponent.intValue() < 10000) {
        return Values.normalize(base.pow(exponent.intValue()));
      }
      return decimal(Math.pow(base.doubleValue(), exponent.doubleValue()));
    }));
    functions.put("max", HclFunction.variadic(1, a -> extreme(a, 1)));
    functions.put("min", HclFunction.variadic(1, a -> extreme(a, -1)));
    functions.put("parseint", HclFunction.of(2, a -> {
      String text = string(a, 0);
      int base = integer(a, 1);
      if (base < 2 || base > 62) {
        throw new ValueException(1, "base must be a whole number between 2 and 62 inclusive");
      }
      try {
        return new BigDecimal(parseInteger(text, base));
      } catch (NumberFormatException e) {
        throw new ValueException(0, "cannot parse \"" + text + "\" as a base " + base + " integer");
      }
    }));
    functions.put("greaterthan", HclFunction.of(2, a -> number(a, 0).compareTo(number(a, 1)) > 0));
    functions.put("greaterthanorequalto", HclFunction.of(2, a -> number(a, 0).compareTo(number(a, 1)) >= 0));
    functions.put("lessthan", HclFunction.of(2, a -> number(a, 0).compareTo(number(a, 1)) < 0));
    functions.put("lessthanorequalto", HclFunction.of(2, a -> number(a, 0).compareTo(number(a, 1)) <= 0));
  }

  private static BigDecimal decimal(double value) throws ValueException {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new ValueException("the result is not a finite number");
    }
    return Values.normalize(new BigDecimal(Double.toString(value)));
  }

  private static BigDecimal extreme(List<Object> arguments, int sign) throws ValueException {
    BigDecimal best = number(arguments, 0);
    for (int i = 1; i < arguments.size(); i++) {
      BigDecimal candidate = number(arguments, i);
      if (candidate.compareTo(best) * sign > 0) {
        best = candidate;
      }
    }
    return best;
  }

  /** Parses an integer in bases up to 62 with digits 0-9, a-z, A-Z, as Go's big.Int SetString does. */
  private static BigInteger parseInteger(String text, int base) {
    if (base <= 36) {
      return new BigInteger(text, base);
    }
    boolean negative = text.startsWith("-");
    String digits = negative || text.startsWith("+") ? text.substring(1) : text;
    if (digits.isEmpty()) {
      throw new NumberFormatException(text);
    }
    BigInteger result = BigInteger.ZERO;
    BigInteger radix = BigInteger.valueOf(base);
    for (char c : digits.toCharArray()) {
      int digit;
      if (c >= '0' && c <= '9') {
        digit = c - '0';
      } else if (c >= 'a' && c <= 'z') {
        digit = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'Z') {
        digit = c - 'A' + 36;
      } else {
        throw new NumberFormatException(text);
      }
      if (digit >= base) {
        throw new NumberFormatException(text);
      }
      result = result.multiply(radix).add(BigInteger.valueOf(digit));
    }
    return negative ? result.negate() : result;
  }

  // ---- bools and comparison

  private static void addLogic(Map<String, HclFunction> functions) {
    functions.put("and", HclFunction.of(2, a -> bool(a, 0) && bool(a, 1)));
    functions.put("or", HclFunction.of(2, a -> bool(a, 0) || bool(a, 1)));
    functions.put("not", HclFunction.of(1, a -> !bool(a, 0)));
    functions.put("equal", HclFunction.of(2, a -> Values.equal(a.get(0), a.get(1))));
    functions.put("notequal", HclFunction.of(2, a -> !Values.equal(a.get(0), a.get(1))));
  }

  // ---- strings

  private static void addStrings(Map<String, HclFunction> functions) {
    functions.put("upper", HclFunction.of(1, a -> string(a, 0).toUpperCase(java.util.Locale.ROOT)));
    functions.put("lower", HclFunction.of(1, a -> string(a, 0).toLowerCase(java.util.Locale.ROOT)));
    functions.put("reverse", HclFunction.of(1, a -> new StringBuilder(string(a, 0)).reverse().toString()));
    functions.put("strlen", HclFunction.of(1, a -> {
      String text = string(a, 0);
      return BigDecimal.valueOf(text.codePointCount(0, text.length()));
    }));
    functions.put("substr", HclFunction.of(3, a -> substring(string(a, 0), integer(a, 1), integer(a, 2))));
    functions.put("join", HclFunction.variadic(2, a -> {
      String separator = string(a, 0);
      List<String> items = new ArrayList<>();
      for (int i = 1; i < a.size(); i++) {
        items.addAll(strings(a, i));
      }
      return String.join(separator, items);
    }));
    functions.put("sort", HclFunction.of(1, a -> {
      List<String> items = new ArrayList<>(strings(a, 0));
      items.sort(null);
      return new ArrayList<Object>(items);
    }));
    functions.put("split", HclFunction.of(2, a -> {
      String separator = string(a, 0);
      String text = string(a, 1);
      if (text.isEmpty()) {
        return new ArrayList<>();
      }
      return new ArrayList<Object>(splitAll(text, separator));
    }));
    functions.put("chomp", HclFunction.of(1, a -> string(a, 0).replaceAll("(?:\\r\\n|\\r|\\n)+$", "")));
    functions.put("indent", HclFunction.of(2, a -> string(a, 1).replace("\n", "\n" + " ".repeat(integer(a, 0)))));
    functions.put("title", HclFunction.of(1, a -> title(string(a, 0))));
    functions.put("trimspace", HclFunction.of(1, a -> string(a, 0).strip()));
    functions.put("trim", HclFunction.of(2, a -> trim(string(a, 0), string(a, 1))));
    functions.put("trimprefix", HclFunction.of(2, a -> {
      String text = string(a, 0);
      String prefix = string(a, 1);
      return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }));
    functions.put("trimsuffix", HclFunction.of(2, a -> {
      String text = string(a, 0);
      String suffix = string(a, 1);
      return text.endsWith(suffix) ? text.substring(0, text.length() - suffix.length()) : text;
    }));
    functions.put("replace", HclFunction.of(3, a -> string(a, 0).replace(string(a, 1), string(a, 2))));
    functions.put("regex_replace", HclFunction.of(3, a -> {
      Matcher matcher = pattern(a, 1).matcher(string(a, 0));
      return matcher.replaceAll(goReplacement(string(a, 2)));
    }));
    functions.put("regex", HclFunction.of(2, a -> {
      Pattern pattern = pattern(a, 0);
      Matcher matcher = pattern.matcher(string(a, 1));
      if (!matcher.find()) {
        throw new ValueException("pattern did not match any part of the given string");
      }
      return matchResult(pattern, matcher);
    }));
    functions.put("regexall", HclFunction.of(2, a -> {
      Pattern pattern = pattern(a, 0);
      Matcher matcher = pattern.matcher(string(a, 1));
      List<Object> matches = new ArrayList<>();
      while (matcher.find()) {
        matches.add(matchResult(pattern, matcher));
      }
      return matches;
    }));
  }

  static List<String> splitAll(String text, String separator) {
    List<String> parts = new ArrayList<>();
    if (separator.isEmpty()) {
      text.codePoints().forEach(c -> parts.add(new String(Character.toChars(c))));
      return parts;
    }
    int start = 0;
    while (true) {
      int at = text.indexOf(separator, start);
      if (at < 0) {
        parts.add(text.substring(start));
        return parts;
      }
      parts.add(text.substring(start, at));
      start = at + separator.length();
    }
  }

  private static String substring(String text, int offset, int length) {
    int[] codePoints = text.codePoints().toArray();
    int total = codePoints.length;
    if (offset < 0) {
      offset = Math.max(0, total + offset);
    }
    if (offset > total) {
      return "";
    }
    int end = length < 0 ? total : Math.min(total, offset + length);
    return new String(codePoints, offset, Math.max(0, end - offset));
  }

  /** Upper-cases the first letter of each word, as Go's strings.Title does. */
  private static String title(String text) {
    StringBuilder out = new StringBuilder();
    boolean previousSeparator = true;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      out.appendCodePoint(previousSeparator ? Character.toTitleCase(c) : c);
      previousSeparator = !(Character.isLetterOrDigit(c) || c == '_');
      i += Character.charCount(c);
    }
    return out.toString();
  }

  private static String trim(String text, String cutset) {
    int start = 0;
    int end = text.length();
    while (start < end && cutset.indexOf(text.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && cutset.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(start, end);
  }

  /** Compiles an RE2 pattern; Go's {@code (?P<name>...)} groups become Java's {@code (?<name>...)}. */
  private static Pattern pattern(List<Object> arguments, int index) throws ValueException {
    String source = string(arguments, index).replace("(?P<", "(?<");
    try {
      return Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw new ValueException(index, "invalid regular expression: " + e.getDescription());
    }
  }

  /** Rewrites Go's {@code ${1}}/{@code $name} replacement references for Java's Matcher. */
  private static String goReplacement(String replacement) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < replacement.length(); i++) {
      char c = replacement.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '$' && i + 1 < replacement.length() && replacement.charAt(i + 1) == '$') {
        out.append("\\$");
        i++;
      } else if (c == '$' && i + 1 < replacement.length() && replacement.charAt(i + 1) == '{') {
        int close = replacement.indexOf('}', i);
        String name = close < 0 ? "" : replacement.substring(i + 2, close);
        out.append(name.matches("\\d+") ? "$" + name : "${" + name + "}");
        i = close < 0 ? replacement.length() : close;
      } else if (c == '$') {
        int j = i + 1;
        while (j < replacement.length() && (Character.isLetterOrDigit(replacement.charAt(j))
            || replacement.charAt(j) == '_')) {
          j++;
        }
        String name = replacement.substring(i + 1, j);
        out.append(name.isEmpty() ? "\\$" : name.matches("\\d+") ? "$" + name : "${" + name + "}");
        i = j - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Returns the names of {@code (?<name>...)} groups; Java 17 has no public accessor for them. */
  private static List<String> groupNames(String pattern) {
    List<String> names = new ArrayList<>();
    Matcher matcher = Pattern.compile("(?<!\\\\)\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(pattern);
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private static Object matchResult(Pattern pattern, Matcher matcher) {
    List<String> named = groupNames(pattern.pattern());
    if (matcher.groupCount() == 0) {
      return matcher.group();
    }
    if (!named.isEmpty()) {
      Map<String, Object> groups = new TreeMap<>();
      for (String name : named) {
        groups.put(name, matcher.group(name));
      }
      return new LinkedHashMap<>(groups);
    }
    List<Object> groups = new ArrayList<>();
    for (int i = 1; i <= matcher.groupCount(); i++) {
      groups.add(matcher.group(i));
    }
    return groups;
  }

  // ---- collections

  private static void addCollections(Map<String, HclFunction> functions) {
    functions.put("length", HclFunction.of(1, a -> {
      Object value = notNull(a, 0);
      if (value instanceof List<?> list) {
        return BigDecimal.valueOf(list.size());
      }
      if (value instanceof Map<?, ?> map) {
        return BigDecimal.valueOf(map.size());
      }
      if (value instanceof String text) {
        return BigDecimal.valueOf(text.codePointCount(0, text.length()));
      }
      throw new ValueException(0, "a collection is required, but the value is a " + Values.typeName(value));
    }));
    functions.put("coalesce", HclFunction.variadic(0, a -> {
      for (Object value : a) {
        if (value != null) {
          return value;
        }
      }
      throw new ValueException("no non-null arguments");
    }));
    functions.put("coalescelist", HclFunction.variadic(1, a -> {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) != null && !list(a, i).isEmpty()) {
          return a.get(i);
        }
      }
      throw new ValueException("no non-null arguments");
    }));
    functions.put("compact", HclFunction.of(1, a -> {
      List<Object> result = new ArrayList<>();
      for (Object element : list(a, 0)) {
        if (element != null && !"".equals(element)) {
          result.add(Values.toStringValue(element));
        }
      }
      return result;
    }));
    functions.put("concat", HclFunction.variadic(1, a -> {
      List<Object> result = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        result.addAll(list(a, i));
      }
      return result;
    }));
    functions.put("contains", HclFunction.of(2, a -> {
      for (Object element : list(a, 0)) {
        if (Values.equal(element, a.get(1))) {
          return true;
        }
      }
      return false;
    }));
    functions.put("distinct", HclFunction.of(1, a -> {
      List<Object> result = new ArrayList<>();
      for (Object element : list(a, 0)) {
        if (result.stream().noneMatch(existing -> Values.equal(existing, element))) {
          result.add(element);
        }
      }
      return result;
    }));
    functions.put("chunklist", HclFunction.of(2, a -> {
      List<Object> items = list(a, 0);
      int size = integer(a, 1);
      if (size < 0) {
        throw new ValueException(1, "the size argument must be positive");
      }
      List<Object> chunks = new ArrayList<>();
      if (size == 0) {
        chunks.add(new ArrayList<>(items));
        return chunks;
      }
      for (int i = 0; i < items.size(); i += size) {
        chunks.add(new ArrayList<>(items.subList(i, Math.min(items.size(), i + size))));
      }
      return chunks;
    }));
    functions.put("element", HclFunction.of(2, a -> {
      List<Object> items = list(a, 0);
      int index = integer(a, 1);
      if (items.isEmpty()) {
        throw new ValueException(0, "cannot use element function with an empty list");
      }
      if (index < 0) {
        throw new ValueException(1, "cannot use element function with a negative index");
      }
      return items.get(index % items.size());
    }));
    functions.put("flatten", HclFunction.of(1, a -> {
      List<Object> result = new ArrayList<>();
      flatten(list(a, 0), result);
      return result;
    }));
    functions.put("hasindex", HclFunction.of(2, a -> {
      Object collection = notNull(a, 0);
      if (collection instanceof List<?> items) {
        try {
          int index = Values.toInt(a.get(1));
          return index >= 0 && index < items.size();
        } catch (ValueException e) {
          return false;
        }
      }
      if (collection instanceof Map<?, ?> entries) {
        return a.get(1) != null && entries.containsKey(Values.toStringValue(a.get(1)));
      }
      throw new ValueException(0, "a collection is required, but the value is a " + Values.typeName(collection));
    }));
    functions.put("index", HclFunction.of(2, a -> {
      Object collection = notNull(a, 0);
      if (collection instanceof List<?> items) {
        int index = integer(a, 1);
        if (index < 0 || index >= items.size()) {
          throw new ValueException(1, "index " + index + " is out of range for a list of " + items.size());
        }
        return items.get(index);
      }
      Map<String, Object> entries = map(a, 0);
      String key = string(a, 1);
      if (!entries.containsKey(key)) {
        throw new ValueException(1, "the map has no key \"" + key + "\"");
      }
      return entries.get(key);
    }));
    functions.put("keys", HclFunction.of(1, a -> new ArrayList<Object>(new TreeMap<>(map(a, 0)).keySet())));
    functions.put("values", HclFunction.of(1, a -> new ArrayList<>(new TreeMap<>(map(a, 0)).values())));
    functions.put("lookup", HclFunction.range(2, 3, a -> {
      Map<String, Object> entries = map(a, 0);
      String key = string(a, 1);
      if (entries.containsKey(key)) {
        return entries.get(key);
      }
      if (a.size() == 3) {
        return a.get(2);
      }
      throw new ValueException(1, "the map has no key \"" + key + "\" and no default was given");
    }));
    functions.put("merge", HclFunction.variadic(0, a -> {
      Map<String, Object> result = new LinkedHashMap<>();
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) != null) {
          result.putAll(map(a, i));
        }
      }
      return result;
    }));
    functions.put("range", HclFunction.range(1, 3, StandardFunctions::range));
    functions.put("reverselist", HclFunction.of(1, a -> {
      List<Object> result = new ArrayList<>(list(a, 0));
      java.util.Collections.reverse(result);
      return result;
    }));
    functions.put("slice", HclFunction.of(3, a -> {
      List<Object> items = list(a, 0);
      int start = integer(a, 1);
      int end = integer(a, 2);
      if (start < 0) {
        throw new ValueException(1, "the start index must not be negative");
      }
      if (end > items.size()) {
        throw new ValueException(2, "the end index must not be greater than the length of the list");
      }
      if (start > end) {
        throw new ValueException(1, "the start index must not be greater than the end index");
      }
      return new ArrayList<>(items.subList(start, end));
    }));
    functions.put("zipmap", HclFunction.of(2, a -> {
      List<String> keys = strings(a, 0);
      List<Object> values = list(a, 1);
      if (keys.size() != values.size()) {
        throw new ValueException("the keys and values lists must have the same length, but have "
            + keys.size() + " and " + values.size());
      }
      Map<String, Object> result = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        result.put(keys.get(i), values.get(i));
      }
      return result;
    }));
  }

  private static void flatten(List<?> items, List<Object> into) {
    for (Object item : items) {
      if (item instanceof List<?> nested) {
        flatten(nested, into);
      } else {
        into.add(item);
      }
    }
  }

  private static Object range(List<Object> arguments) throws ValueException {
    BigDecimal start = BigDecimal.ZERO;
    BigDecimal limit;
    BigDecimal step = BigDecimal.ONE;
    if (arguments.size() == 1) {
      limit = number(arguments, 0);
    } else {
      start = number(arguments, 0);
      limit = number(arguments, 1);
      if (arguments.size() == 3) {
        step = number(arguments, 2);
      } else if (limit.compareTo(start) < 0) {
        step = BigDecimal.ONE.negate();
      }
    }
    if (step.signum() == 0) {
      throw new ValueException("step must not be zero");
    }
    if ((step.signum() > 0 && limit.compareTo(start) < 0) || (step.signum() < 0 && limit.compareTo(start) > 0)) {
      throw new ValueException("step must be " + (step.signum() > 0 ? "negative" : "positive")
          + " when the limit is " + (step.signum() > 0 ? "less" : "greater") + " than the start");
    }
    List<Object> result = new ArrayList<>();
    for (BigDecimal value = start; step.signum() > 0 ? value.compareTo(limit) < 0 : value.compareTo(limit) > 0;
        value = value.add(step)) {
      result.add(Values.normalize(value));
    }
    return result;
  }

  // ---- sets, returned as lists in cty's set order

  private static void addSets(Map<String, HclFunction> functions) {
    functions.put("sethaselement", HclFunction.of(2, a -> {
      for (Object element : list(a, 0)) {
        if (Values.equal(element, a.get(1))) {
          return true;
        }
      }
      return false;
    }));
    functions.put("setunion", HclFunction.variadic(1, a -> {
      List<Object> result = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        result.addAll(list(a, i));
      }
      return Type.Collection.distinctSorted(result);
    }));
    functions.put("setintersection", HclFunction.variadic(1, a -> {
      List<Object> result = new ArrayList<>(list(a, 0));
      for (int i = 1; i < a.size(); i++) {
        List<Object> other = list(a, i);
        result.removeIf(element -> other.stream().noneMatch(o -> Values.equal(o, element)));
      }
      return Type.Collection.distinctSorted(result);
    }));
    functions.put("setsubtract", HclFunction.of(2, a -> {
      List<Object> result = new ArrayList<>(list(a, 0));
      List<Object> other = list(a, 1);
      result.removeIf(element -> other.stream().anyMatch(o -> Values.equal(o, element)));
      return Type.Collection.distinctSorted(result);
    }));
    functions.put("setsymmetricdifference", HclFunction.variadic(1, a -> {
      List<Object> result = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        for (Object element : Type.Collection.distinctSorted(list(a, i))) {
          boolean present = result.removeIf(existing -> Values.equal(existing, element));
          if (!present) {
            result.add(element);
          }
        }
      }
      return Type.Collection.distinctSorted(result);
    }));
    functions.put("setproduct", HclFunction.variadic(1, a -> {
      List<Object> product = new ArrayList<>();
      product.add(new ArrayList<>());
      for (int i = 0; i < a.size(); i++) {
        List<Object> next = new ArrayList<>();
        for (Object prefix : product) {
          for (Object element : list(a, i)) {
            @SuppressWarnings("unchecked")
            List<Object> combination = new ArrayList<>((List<Object>) prefix);
            combination.add(element);
            next.add(combination);
          }
        }
        product = next;
      }
      return product;
    }));
  }

  // ---- encoding, hashing, uuids

  private static void addEncoding(Map<String, HclFunction> functions) {
    functions.put("jsonencode", HclFunction.of(1, a -> Json.encode(a.get(0))));
    functions.put("jsondecode", HclFunction.of(1, a -> {
      try {
        return Json.decode("jsondecode", string(a, 0));
      } catch (HclException e) {
        throw new ValueException(0, "invalid JSON: " + e.detail());
      }
    }));
    functions.put("csvdecode", HclFunction.of(1, a -> Csv.decode(string(a, 0))));
    functions.put("base64encode", HclFunction.of(1, a -> Base64.getEncoder()
        .encodeToString(string(a, 0).getBytes(StandardCharsets.UTF_8))));
    functions.put("base64decode", HclFunction.of(1, a -> {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(string(a, 0));
      } catch (IllegalArgumentException e) {
        throw new ValueException(0, "failed to decode base64 data: " + e.getMessage());
      }
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
        throw new ValueException(0, "the decoded data is not valid UTF-8");
      }
      return text;
    }));
    functions.put("urlencode", HclFunction.of(1, a -> URLEncoder.encode(string(a, 0), StandardCharsets.UTF_8)
        .replace("*", "%2A").replace("%7E", "~")));
    functions.put("md5", HclFunction.of(1, a -> digest("MD5", string(a, 0))));
    functions.put("sha1", HclFunction.of(1, a -> digest("SHA-1", string(a, 0))));
    functions.put("sha256", HclFunction.of(1, a -> digest("SHA-256", string(a, 0))));
    functions.put("sha512", HclFunction.of(1, a -> digest("SHA-512", string(a, 0))));
    functions.put("uuidv4", HclFunction.of(0, a -> UUID.randomUUID().toString()));
    functions.put("uuidv5", HclFunction.of(2, a -> uuidV5(string(a, 0), string(a, 1))));
  }

  private static String digest(String algorithm, String text) {
    try {
      byte[] hash = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides " + algorithm, e);
    }
  }

  private static String uuidV5(String namespace, String name) throws ValueException {
    UUID space = switch (namespace) {
      case "dns" -> UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
      case "url" -> UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
      case "oid" -> UUID.fromString("6ba7b812-9dad-11d1-80b4-00c04fd430c8");
      case "x500" -> UUID.fromString("6ba7b814-9dad-11d1-80b4-00c04fd430c8");
      default -> {
        try {
          yield UUID.fromString(namespace);
        } catch (IllegalArgumentException e) {
          throw new ValueException(0, "uuidv5 namespace must be dns, url, oid, x500 or a UUID, not \"" + namespace + "\"");
        }
      }
    };
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(16);
      buffer.putLong(space.getMostSignificantBits()).putLong(space.getLeastSignificantBits());
      sha1.update(buffer.array());
      byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(hash, 0, 16);
      return new UUID(bytes.getLong(), bytes.getLong()).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-1", e);
    }
  }

  // ---- functions that read their arguments unevaluated

  private static void addSpecial(Map<String, HclFunction> functions) {
    functions.put("try", new LazyFunction(1, -1) {
      @Override
      public Object callLazy(List<Argument> arguments) throws HclException, ValueException {
        List<String> failures = new ArrayList<>();
        for (Argument argument : arguments) {
          try {
            return argument.evaluate();
          } catch (HclException e) {
            failures.add(e.getMessage());
          }
        }
        throw new ValueException("no expression succeeded: " + String.join("; ", failures));
      }
    });
    functions.put("can", new LazyFunction(1, 1) {
      @Override
      public Object callLazy(List<Argument> arguments) {
        try {
          arguments.get(0).evaluate();
          return true;
        } catch (HclException e) {
          return false;
        }
      }
    });
    functions.put("convert", new LazyFunction(2, 2) {
      @Override
      public Object callLazy(List<Argument> arguments) throws HclException, ValueException {
        Object value = arguments.get(0).evaluate();
        Type type = Type.parse(arguments.get(1).expression());
        try {
          return type.convert(value);
        } catch (ValueException e) {
          throw new ValueException(0, "cannot convert to " + type.name() + ": " + e.getMessage());
        }
      }
    });
  }

  private abstract static class LazyFunction implements HclFunction.Lazy {

    private final int minimum;
    private final int maximum;

    LazyFunction(int minimum, int maximum) {
      this.minimum = minimum;
      this.maximum = maximum;
    }

    @Override
    public int minimumArguments() {
      return minimum;
    }

    @Override
    public int maximumArguments() {
      return maximum;
    }
  }
}
