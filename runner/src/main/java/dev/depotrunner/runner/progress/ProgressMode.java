package dev.depotrunner.runner.progress;

import java.util.Locale;

/** The {@code --progress} values, named as docker buildx names them. */
public enum ProgressMode {
  /** tty when stderr is a terminal, plain otherwise. */
  AUTO,
  /** Numbered lines of text, the format CI logs keep. */
  PLAIN,
  /** A live view redrawn in place. */
  TTY,
  /** One JSON object per line per BuildKit status batch, for programs to read. */
  RAWJSON,
  /** Errors only. */
  QUIET;

  /**
   * Parses a {@code --progress} value.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static ProgressMode parse(String value) {
    if (value.isEmpty()) {
      return AUTO;
    }
    for (ProgressMode mode : values()) {
      if (mode.toString().equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "invalid progress mode \"" + value + "\": use auto, plain, tty, rawjson or quiet");
  }

  /** Returns the name as {@code --progress} takes it, such as {@code rawjson}. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
