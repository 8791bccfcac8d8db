package dev.depotrunner.steps.build.options;

import java.util.Locale;

/** Depot's {@code --lint-fail-on}: the lowest lint severity that fails the build. */
public enum LintFailOn {
  /** Errors fail the build. */
  ERROR,
  /** Errors and warnings fail the build. */
  WARN,
  /** Every lint finding fails the build. */
  INFO,
  /** Lint findings never fail the build. */
  NONE;

  /**
   * Parses {@code error}, {@code warn}, {@code info} or {@code none}.
   *
   * @throws InvalidOptionException for other values
   */
  public static LintFailOn parse(String value) {
    for (LintFailOn level : values()) {
      if (level.value().equals(value)) {
        return level;
      }
    }
    throw new InvalidOptionException("invalid lint severity \"" + value + "\": use error, warn, info or none");
  }

  /** Returns the value as written on the command line. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
