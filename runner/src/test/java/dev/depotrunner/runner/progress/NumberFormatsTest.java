package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NumberFormatsTest {

  @ParameterizedTest(name = "{0} bytes as {1}")
  @CsvSource({
    "0, 0B",
    "2, 2B",
    "999, 999B",
    "1000, 1.00kB",
    "1234, 1.23kB",
    // 1.125 is exact in binary, so Go rounds it half to even.
    "1125, 1.12kB",
    "1135, 1.14kB",
    "999999, 1000.00kB",
    "60014748, 60.01MB",
    "49152410, 49.15MB",
    "3000000000, 3.00GB",
    "-1500, -1.50kB"
  })
  void bytes_formatsLikeGoUnits(long size, String expected) {
    assertEquals(expected, NumberFormats.bytes(size));
  }

  @ParameterizedTest(name = "{0} with {1} decimals as {2}")
  @CsvSource({
    "0.05, 1, 0.1",
    "0.25, 1, 0.2",
    "0.35, 1, 0.3",
    "1.5, 0, 2",
    "2.5, 0, 2",
    "12.456, 2, 12.46",
    // 0.3125 is exact in binary and rounds to even. 0.2615 is stored just above the half.
    "0.3125, 3, 0.312",
    "0.2615, 3, 0.262",
    "-0.0004, 3, -0.000",
    "-1.25, 1, -1.2"
  })
  void fixed_roundsExactValueHalfToEven(double value, int decimals, String expected) {
    assertEquals(expected, NumberFormats.fixed(value, decimals));
  }

  @Test
  void fixed_keepsSignOfNegativeZero() {
    assertEquals("-0.0", NumberFormats.fixed(-0.0, 1));
  }

  @Test
  void seconds_matchesGoDurationSeconds() {
    Instant start = Instant.parse("2026-12-04T20:16:17.361843157Z");

    assertEquals(1.607681740, NumberFormats.seconds(start, Instant.parse("2026-12-04T20:16:18.969524897Z")), 1e-12);
    assertEquals(-0.5, NumberFormats.seconds(Duration.ofMillis(-500)), 1e-12);
  }
}
