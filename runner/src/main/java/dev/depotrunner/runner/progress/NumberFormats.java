package dev.depotrunner.runner.progress;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * Number formatting that matches Go's {@code fmt} as BuildKit's progress output uses it, so that
 * sizes and times read the same as in docker buildx.
 */
final class NumberFormats {

  private static final String[] DECIMAL_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

  private NumberFormats() {}

  /**
   * Formats a size with decimal units and two decimals, such as {@code 1.23MB}, and sizes below
   * 1000 as whole bytes, such as {@code 42B}.
   */
  static String bytes(long size) {
    long magnitude = Math.abs(size);
    if (magnitude < 1000) {
      return size + "B";
    }

    int unit = 0;
    double base = 1;
    while (unit + 1 < DECIMAL_UNITS.length && magnitude >= base * 1000) {
      base *= 1000;
      unit++;
    }
    return fixed(size / base, 2) + DECIMAL_UNITS[unit];
  }

  /**
   * Formats a number with a fixed count of decimals the way Go's {@code %.Nf} does: rounding the
   * exact binary value half to even, and keeping the sign of a negative value that rounds to zero.
   */
  static String fixed(double value, int decimals) {
    String text = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    boolean negative = value < 0 || (value == 0 && 1 / value < 0);
    if (negative && !text.startsWith("-")) {
      text = "-" + text;
    }
    return text;
  }

  /** Returns the seconds between two instants as Go's {@code Duration.Seconds()} does. */
  static double seconds(Instant from, Instant to) {
    return seconds(Duration.between(from, to));
  }

  static double seconds(Duration duration) {
    long nanos = duration.getSeconds() * 1_000_000_000L + duration.getNano();
    long wholeSeconds = nanos / 1_000_000_000L;
    long fraction = nanos % 1_000_000_000L;
    return wholeSeconds + fraction / 1e9;
  }
}
