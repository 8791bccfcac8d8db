package dev.depotrunner.steps.build.options;

import java.util.Locale;

/** The {@code --network} mode of the build's {@code RUN} instructions. */
public enum NetworkMode {
  /** The builder's own network. */
  DEFAULT,
  /** No network. */
  NONE,
  /** The builder host's network; needs the {@code network.host} entitlement, which the plan adds. */
  HOST;

  /**
   * Parses {@code default}, {@code none} or {@code host}; an empty value is {@code default}.
   *
   * @throws InvalidOptionException for other modes, which BuildKit does not support
   */
  public static NetworkMode parse(String value) {
    return switch (value) {
      case "", "default" -> DEFAULT;
      case "none" -> NONE;
      case "host" -> HOST;
      default -> throw new InvalidOptionException(
          "invalid network mode \"" + value + "\": BuildKit supports default, none and host;"
              + " attach the builder itself to a custom network instead");
    };
  }

  /** Returns the value as written on the command line. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
