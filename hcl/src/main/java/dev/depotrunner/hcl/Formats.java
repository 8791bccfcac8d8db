package dev.depotrunner.hcl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The printf-like {@code format} and {@code formatlist}, and the date functions of cty's stdlib. The public
 * date methods serve tools that add their own time functions over the same format syntax.
 */
public final class Formats {

  /** {@code %[flags][[argument]][width][.precision]verb}, as cty's format verbs are written. */
  private static final Pattern VERB = Pattern.compile("%([+\\- #0]*)(?:\\[(\\d+)])?(\\d+)?(?:\\.(\\d*))?([a-zA-Z%])");

  private Formats() {}

  static String format(String format, List<Object> arguments) throws ValueException {
    StringBuilder out = new StringBuilder();
    Matcher matcher = VERB.matcher(format);
    int last = 0;
    int nextArgument = 0;
    while (matcher.find()) {
      out.append(format, last, matcher.start());
      last = matcher.end();
      char verb = matcher.group(5).charAt(0);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      int argument = matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) - 1 : nextArgument;
      nextArgument = argument + 1;
      if (argument < 0 || argument >= arguments.size()) {
        throw new ValueException("not enough arguments for \"" + matcher.group() + "\" at " + matcher.start()
            + ": need index " + (argument + 1) + " but have " + arguments.size() + " total");
      }
      out.append(formatVerb(matcher, verb, arguments.get(argument)));
    }
    int stray = format.indexOf('%', last);
    if (stray >= 0) {
      throw new ValueException("invalid format verb at offset " + stray + " of \"" + format + "\"; write %% for a"
          + " literal %");
    }
    out.append(format.substring(last));
    return out.toString();
  }

  private static String formatVerb(Matcher matcher, char verb, Object value) throws ValueException {
    String flags = matcher.group(1);
    String width = matcher.group(3) == null ? "" : matcher.group(3);
    String precision = matcher.group(4) == null ? "" : "." + matcher.group(4);
    String raw = matcher.group();
    if (verb != 'v' && value == null) {
      throw new ValueException("unsupported value for \"" + raw + "\": null value cannot be formatted");
    }
    try {
      switch (verb) {
        case 'v': {
          String text;
          if (!flags.contains("#") && value instanceof String string) {
            text = string;
          } else if (!flags.contains("#") && value instanceof BigDecimal number) {
            text = Values.toStringValue(number);
          } else {
            text = Json.encode(value);
          }
          return pad(text, flags, width);
        }
        case 't':
          return pad(String.valueOf(Values.toBool(value)), flags, width);
        case 's':
          return pad(truncate(Values.toStringValue(value), precision), flags, width);
        case 'q':
          return pad(Json.encode(Values.toStringValue(value)), flags, width);
        case 'b', 'd', 'o', 'x', 'X': {
          BigInteger integer;
          try {
            integer = Values.toNumber(value).toBigIntegerExact();
          } catch (ArithmeticException e) {
            throw new ValueException("unsupported value for \"" + raw + "\": an integer is required");
          }
          return String.format("%" + javaFlags(flags) + width + verb, integer);
        }
        case 'e', 'E', 'f', 'g', 'G': {
          BigDecimal number = Values.toNumber(value);
          String javaPrecision = precision.isEmpty() && (verb == 'e' || verb == 'E' || verb == 'f') ? ".6" : precision;
          if ((verb == 'g' || verb == 'G') && precision.isEmpty()) {
            return pad(shortestG(number, verb), flags, width);
          }
          return String.format("%" + javaFlags(flags) + width + javaPrecision + verb, number);
        }
        default:
          throw new ValueException("unsupported format verb '" + verb + "' in \"" + raw + "\"");
      }
    } catch (ValueException e) {
      if (e.getMessage().startsWith("unsupported")) {
        throw e;
      }
      throw new ValueException("unsupported value for \"" + raw + "\": " + e.getMessage());
    }
  }

  /**
   * Formats a number as Go's %g does with no precision: the shortest digits, in exponent form when the
   * decimal exponent is below -4 or at least 6, with at least two exponent digits.
   */
  static String shortestG(BigDecimal number, char verb) {
    BigDecimal stripped = number.stripTrailingZeros();
    if (stripped.signum() == 0) {
      return "0";
    }
    String digits = stripped.unscaledValue().abs().toString();
    int exponent = digits.length() - stripped.scale() - 1;
    if (exponent >= -4 && exponent < 6) {
      return Values.normalize(stripped).toPlainString();
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String sign = stripped.signum() < 0 ? "-" : "";
    String exponentText = String.format("%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
    return sign + mantissa + (verb == 'G' ? "E" : "e") + exponentText;
  }

  private static String javaFlags(String flags) {
    return flags.replace("#", "");
  }

  private static String truncate(String text, String precision) {
    if (precision.isEmpty()) {
      return text;
    }
    int length = precision.length() == 1 ? 0 : Integer.parseInt(precision.substring(1));
    int[] codePoints = text.codePoints().toArray();
    return length >= codePoints.length ? text : new String(codePoints, 0, length);
  }

  private static String pad(String text, String flags, String width) {
    if (width.isEmpty()) {
      return text;
    }
    int missing = Integer.parseInt(width) - text.codePointCount(0, text.length());
    if (missing <= 0) {
      return text;
    }
    if (flags.contains("-")) {
      return text + " ".repeat(missing);
    }
    return (flags.contains("0") ? "0" : " ").repeat(missing) + text;
  }

  /** Formats once per element of the list arguments, which must have equal lengths; other arguments repeat. */
  static Object formatList(List<Object> arguments) throws ValueException {
    String format = Arguments.string(arguments, 0);
    List<Object> values = arguments.subList(1, arguments.size());
    int length = -1;
    int lengthFrom = -1;
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) instanceof List<?> list) {
        if (length >= 0 && list.size() != length) {
          throw new ValueException(i + 1, "argument " + (i + 1) + " has length " + list.size()
              + ", which is inconsistent with argument " + (lengthFrom + 1) + " of length " + length);
        }
        length = list.size();
        lengthFrom = i;
      }
    }
    if (length < 0) {
      length = 1;
    }
    List<Object> results = new ArrayList<>();
    for (int row = 0; row < length; row++) {
      List<Object> rowArguments = new ArrayList<>();
      for (Object value : values) {
        rowArguments.add(value instanceof List<?> list ? list.get(row) : value);
      }
      try {
        results.add(format(format, rowArguments));
      } catch (ValueException e) {
        throw new ValueException("error on format iteration " + row + ": " + e.getMessage());
      }
    }
    return results;
  }

  /** Parses an RFC 3339 timestamp such as {@code 2006-01-02T15:04:05Z}. */
  public static OffsetDateTime parseTimestamp(String timestamp) throws ValueException {
    return parseTimestamp(timestamp, 1);
  }

  /** Formats a time as Go's time.RFC3339 layout does: whole seconds, and Z for UTC. */
  public static String formatRfc3339(OffsetDateTime time) {
    return time.format(RFC3339);
  }

  static OffsetDateTime parseTimestamp(String timestamp, int argument) throws ValueException {
    try {
      return OffsetDateTime.parse(timestamp, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new ValueException(argument, "not a valid RFC 3339 timestamp: \"" + timestamp
          + "\"; write it like 2006-01-02T15:04:05Z");
    }
  }

  /** Formats a timestamp with cty's formatdate mnemonics (YYYY, MM, DD, hh, mm, ss, ZZZZZ, 'literal'). */
  static String formatDate(String format, String timestamp, int timestampArgument) throws ValueException {
    return formatDate(format, parseTimestamp(timestamp, timestampArgument));
  }

  /** Formats a time with cty's formatdate mnemonics. */
  public static String formatDate(String format, OffsetDateTime time) throws ValueException {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c == '\'') {
        if (i + 1 < format.length() && format.charAt(i + 1) == '\'') {
          out.append('\'');
          i += 2;
          continue;
        }
        int close = i + 1;
        StringBuilder literal = new StringBuilder();
        while (close < format.length()) {
          if (format.charAt(close) == '\'') {
            if (close + 1 < format.length() && format.charAt(close + 1) == '\'') {
              literal.append('\'');
              close += 2;
              continue;
            }
            break;
          }
          literal.append(format.charAt(close));
          close++;
        }
        if (close >= format.length()) {
          throw new ValueException(0, "unterminated literal '; close it with another '");
        }
        out.append(literal);
        i = close + 1;
        continue;
      }
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
        out.append(c);
        i++;
        continue;
      }
      int end = i;
      while (end < format.length() && format.charAt(end) == c) {
        end++;
      }
      String token = format.substring(i, end);
      out.append(dateVerb(token, time));
      i = end;
    }
    return out.toString();
  }

  private static String dateVerb(String token, OffsetDateTime time) throws ValueException {
    int length = token.length();
    int hour12 = time.getHour() % 12 == 0 ? 12 : time.getHour() % 12;
    switch (token.charAt(0)) {
      case 'Y':
        if (length == 2) {
          return String.format("%02d", time.getYear() % 100);
        }
        if (length == 4) {
          return String.format("%04d", time.getYear());
        }
        break;
      case 'M':
        switch (length) {
          case 1: return String.valueOf(time.getMonthValue());
          case 2: return String.format("%02d", time.getMonthValue());
          case 3: return time.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
          case 4: return time.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
          default: break;
        }
        break;
      case 'D':
        if (length <= 2) {
          return length == 1 ? String.valueOf(time.getDayOfMonth()) : String.format("%02d", time.getDayOfMonth());
        }
        break;
      case 'E':
        if (length == 3) {
          return time.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
        }
        if (length == 4) {
          return time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        }
        break;
      case 'h':
        if (length <= 2) {
          return length == 1 ? String.valueOf(time.getHour()) : String.format("%02d", time.getHour());
        }
        break;
      case 'H':
        if (length <= 2) {
          return length == 1 ? String.valueOf(hour12) : String.format("%02d", hour12);
        }
        break;
      case 'A', 'a':
        if (length == 2) {
          String marker = time.getHour() < 12 ? "AM" : "PM";
          return token.charAt(0) == 'A' ? marker : marker.toLowerCase(Locale.ROOT);
        }
        break;
      case 'm':
        if (length <= 2) {
          return length == 1 ? String.valueOf(time.getMinute()) : String.format("%02d", time.getMinute());
        }
        break;
      case 's':
        if (length <= 2) {
          return length == 1 ? String.valueOf(time.getSecond()) : String.format("%02d", time.getSecond());
        }
        break;
      case 'Z': {
        ZoneOffset offset = time.getOffset();
        int seconds = offset.getTotalSeconds();
        String sign = seconds < 0 ? "-" : "+";
        int absolute = Math.abs(seconds);
        String compact = String.format("%s%02d%02d", sign, absolute / 3600, absolute / 60 % 60);
        String colon = String.format("%s%02d:%02d", sign, absolute / 3600, absolute / 60 % 60);
        switch (length) {
          case 1: return seconds == 0 ? "Z" : colon;
          case 3: return seconds == 0 ? "UTC" : compact;
          case 4: return compact;
          case 5: return colon;
          default: break;
        }
        break;
      }
      default:
        throw new ValueException(0, "invalid date format verb \"" + token + "\"; quote literal letters as 'text'");
    }
    throw new ValueException(0, "invalid date format verb \"" + token + "\"");
  }

  /** Adds a Go duration ({@code 1h30m}, {@code -10s}) to an RFC 3339 timestamp. */
  static String timeAdd(String timestamp, String duration) throws ValueException {
    OffsetDateTime time = parseTimestamp(timestamp, 0);
    OffsetDateTime result = time.plus(parseDuration(duration));
    return formatRfc3339(result);
  }

  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  static Duration parseDuration(String text) throws ValueException {
    String rest = text;
    boolean negative = false;
    if (rest.startsWith("-") || rest.startsWith("+")) {
      negative = rest.startsWith("-");
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = DURATION_PART.matcher(rest);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < rest.length()) {
      if (!matcher.find(at) || matcher.start() != at) {
        throw new ValueException(1, "invalid duration \"" + text + "\"; write it like 1h30m or 45s");
      }
      BigDecimal amount = new BigDecimal(matcher.group(1).startsWith(".") ? "0" + matcher.group(1) : matcher.group(1));
      long unit = switch (matcher.group(2)) {
        case "ns" -> 1L;
        case "us", "µs", "μs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        default -> 3_600_000_000_000L;
      };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
      at = matcher.end();
    }
    if (at == 0) {
      throw new ValueException(1, "invalid duration \"" + text + "\"; write it like 1h30m or 45s");
    }
    Duration duration = Duration.ofNanos(nanos.longValue());
    return negative ? duration.negated() : duration;
  }
}
