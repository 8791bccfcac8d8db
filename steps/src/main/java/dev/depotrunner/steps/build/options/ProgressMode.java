package dev.depotrunner.steps.build.options;

import java.util.Locale;

/** How build progress is shown ({@code --progress}). */
public enum ProgressMode {
  /** {@code tty} on a terminal, {@code plain} otherwise. */
  AUTO,
  /** Log lines, including the output of every step. */
  PLAIN,
  /** A live view that redraws the running steps. */
  TTY,
  /** Nothing; the image ID is printed at the end. */
  QUIET,
  /** BuildKit's status events as JSON lines. */
  RAWJSON;

  /**
   * Parses one of {@code auto}, {@code plain}, {@code tty}, {@code quiet}, {@code rawjson}.
   *
   * @throws InvalidOptionException for other values
   */
  public static ProgressMode parse(String value) {
    for (ProgressMode mode : values()) {
      if (mode.value().equals(value)) {
        return mode;
      }
    }
    throw new InvalidOptionException(
        "invalid progress mode \"" + value + "\": use auto, plain, tty, quiet or rawjson");
  }

  /** Returns the value as written on the command line. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
