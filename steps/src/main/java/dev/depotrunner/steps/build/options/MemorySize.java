package dev.depotrunner.steps.build.options;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes written as Docker writes memory sizes ({@code --shm-size}): a number with an optional
 * binary unit {@code k}, {@code m}, {@code g}, {@code t} or {@code p}, in any case, optionally followed by
 * {@code i} and {@code b}, so that {@code 64m}, {@code 64MB} and {@code 64MiB} are all 67108864 bytes.
 */
public record MemorySize(long bytes) {

  private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kmgtp])?i?b?$", Pattern.CASE_INSENSITIVE);

  /**
   * Parses one value.
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static MemorySize parse(String value) {
    Matcher matcher = SIZE.matcher(value);
    if (!matcher.matches()) {
      throw invalid(value);
    }
    BigDecimal number;
    try {
      number = new BigDecimal(matcher.group(1));
    } catch (NumberFormatException e) {
      throw invalid(value);
    }
    String unit = matcher.group(2) == null ? "" : matcher.group(2).toLowerCase(Locale.ROOT);
    int shift =
        switch (unit) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          case "p" -> 50;
          default -> 0;
        };
    BigDecimal bytes = number.multiply(BigDecimal.valueOf(1L << shift));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new InvalidOptionException("invalid size \"" + value + "\": too large");
    }
    // Go converts the float product to int64, which drops the fraction.
    return new MemorySize(bytes.longValue());
  }

  private static InvalidOptionException invalid(String value) {
    return new InvalidOptionException("invalid size \"" + value + "\": use a number of bytes with an optional unit, such as 64m or 1g");
  }
}
