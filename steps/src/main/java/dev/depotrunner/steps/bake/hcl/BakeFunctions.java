package dev.depotrunner.steps.bake.hcl;

import static dev.depotrunner.hcl.HclFunction.of;

import dev.depotrunner.hcl.Formats;
import dev.depotrunner.hcl.HclFunction;
import dev.depotrunner.hcl.StandardFunctions;
import dev.depotrunner.hcl.ValueException;
import dev.depotrunner.hcl.Values;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The functions buildx registers for bake files ({@code bake/hclparser/stdlib.go}): the HCL standard set
 * plus buildx's own path, name, version and time functions.
 */
final class BakeFunctions {

  private BakeFunctions() {}

  static Map<String, HclFunction> all() {
    Map<String, HclFunction> functions = StandardFunctions.all();
    functions.put("basename", of(1, a -> basename(string(a, 0))));
    functions.put("dirname", of(1, a -> dirname(string(a, 0))));
    functions.put("sanitize", of(1, a -> string(a, 0).replaceAll("[^a-zA-Z0-9_-]", "_")));
    functions.put("semvercmp", of(2, a -> Semver.satisfies(string(a, 0), string(a, 1))));
    functions.put("indexof", of(2, a -> indexOf(a)));
    functions.put("homedir", of(0, a -> System.getProperty("user.home")));
    functions.put("timestamp", of(0, a -> Formats.formatRfc3339(
        OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS))));
    functions.put("formattimestamp", of(2, a -> formatTimestamp(a)));
    functions.put("unixtimestampparse", of(1, a -> unixTimestampParse(a.get(0))));
    return functions;
  }

  private static String string(List<Object> arguments, int index) throws ValueException {
    Object value = arguments.get(index);
    if (value == null) {
      throw new ValueException(index, "the argument must not be null");
    }
    try {
      return Values.toStringValue(value);
    } catch (ValueException e) {
      throw new ValueException(index, e.getMessage());
    }
  }

  /** The last element of a slash-separated path, as Go's path.Base returns it. */
  static String basename(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    String trimmed = path.replaceAll("/+$", "");
    if (trimmed.isEmpty()) {
      return "/";
    }
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /** All but the last element of a slash-separated path, cleaned, as Go's path.Dir returns it. */
  static String dirname(String path) {
    int slash = path.lastIndexOf('/');
    return clean(path.substring(0, slash + 1));
  }

  /** Go's path.Clean: removes repeated slashes, {@code .} elements and resolvable {@code ..} elements. */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast("..");
        }
        continue;
      }
      parts.addLast(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  private static Object indexOf(List<Object> arguments) throws ValueException {
    if (!(arguments.get(0) instanceof List<?> list)) {
      throw new ValueException(0, "argument must be a list or tuple");
    }
    if (list.isEmpty()) {
      throw new ValueException(0, "cannot search an empty list");
    }
    for (int i = 0; i < list.size(); i++) {
      if (Values.equal(list.get(i), arguments.get(1))) {
        return BigDecimal.valueOf(i);
      }
    }
    throw new ValueException(1, "item not found");
  }

  private static Object formatTimestamp(List<Object> arguments) throws ValueException {
    String format = string(arguments, 0);
    Object time = arguments.get(1);
    OffsetDateTime parsed;
    if (time instanceof String text) {
      parsed = Formats.parseTimestamp(text);
    } else if (time instanceof BigDecimal number) {
      parsed = unixTime(number, 1);
    } else {
      throw new ValueException(1, "must be a string timestamp or a unix timestamp number");
    }
    if (format.equals("X")) {
      return String.valueOf(parsed.toEpochSecond());
    }
    return Formats.formatDate(format, parsed);
  }

  private static OffsetDateTime unixTime(BigDecimal number, int argument) throws ValueException {
    try {
      return Instant.ofEpochSecond(number.longValueExact()).atOffset(ZoneOffset.UTC);
    } catch (ArithmeticException e) {
      throw new ValueException(argument, "unix timestamp must be an integer");
    }
  }

  private static Object unixTimestampParse(Object value) throws ValueException {
    if (value == null) {
      throw new ValueException(0, "the argument must not be null");
    }
    OffsetDateTime time;
    try {
      time = unixTime(Values.toNumber(value), 0);
    } catch (ValueException e) {
      throw new ValueException(0, e.getMessage());
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("day", BigDecimal.valueOf(time.getDayOfMonth()));
    result.put("hour", BigDecimal.valueOf(time.getHour()));
    result.put("iso_week", BigDecimal.valueOf(time.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
    result.put("iso_year", BigDecimal.valueOf(time.get(IsoFields.WEEK_BASED_YEAR)));
    result.put("minute", BigDecimal.valueOf(time.getMinute()));
    result.put("month", BigDecimal.valueOf(time.getMonthValue()));
    result.put("month_name", time.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    result.put("rfc3339", Formats.formatRfc3339(time));
    result.put("second", BigDecimal.valueOf(time.getSecond()));
    // Go numbers weekdays from Sunday = 0.
    result.put("weekday", BigDecimal.valueOf(time.getDayOfWeek().getValue() % 7));
    result.put("weekday_name", time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    result.put("year", BigDecimal.valueOf(time.getYear()));
    result.put("year_day", BigDecimal.valueOf(time.getDayOfYear()));
    return result;
  }
}
