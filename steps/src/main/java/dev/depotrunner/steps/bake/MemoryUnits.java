package dev.depotrunner.steps.bake;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes the way Docker's {@code go-units} reads and prints them: {@code 128m} is 128 MiB, and a size
 * prints with four significant digits and a binary unit, such as {@code 128MiB}.
 */
final class MemoryUnits {

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b?)?", Pattern.CASE_INSENSITIVE);
  private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

  private MemoryUnits() {}

  /** @throws IllegalArgumentException naming the value when it is not a size such as 64m or 1g */
  static long parseBytes(String value) {
    Matcher matcher = SIZE.matcher(value.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("invalid size \"" + value + "\": use bytes or a number with b, k, m or g, such as 64m");
    }
    double number = Double.parseDouble(matcher.group(1));
    int power = "bkmgtp".indexOf(matcher.group(2).isEmpty() ? 'b' : Character.toLowerCase(matcher.group(2).charAt(0)));
    return (long) (number * Math.pow(1024, power));
  }

  static String binary(long bytes) {
    double size = bytes;
    int unit = 0;
    while (size >= 1024 && unit < BINARY_UNITS.length - 1) {
      size /= 1024;
      unit++;
    }
    String digits = new BigDecimal(size).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    return digits.toLowerCase(Locale.ROOT) + BINARY_UNITS[unit];
  }
}
