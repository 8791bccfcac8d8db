package dev.depotrunner.steps.build.options;

import java.util.List;

/**
 * One {@code --ulimit NAME=SOFT[:HARD]} for the build's {@code RUN} containers, parsed as Docker's
 * go-units does: NAME is a Linux resource limit such as {@code nofile}, the limits are integers or
 * {@code infinity} (-1), and HARD defaults to SOFT.
 */
public record Ulimit(String name, long soft, long hard) {

  /** The resource names Docker accepts ({@code as} is left out, as Docker does). */
  public static final List<String> NAMES =
      List.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss",
          "rtprio", "rttime", "sigpending", "stack");

  private static final long UNLIMITED = -1;

  /**
   * Parses one value.
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static Ulimit parse(String value) {
    int equals = value.indexOf('=');
    if (equals < 0) {
      throw invalid(value, "use NAME=SOFT[:HARD], such as nofile=1024:2048");
    }
    String name = value.substring(0, equals);
    if (!NAMES.contains(name)) {
      throw invalid(value, "unknown limit \"" + name + "\"; use one of " + String.join(", ", NAMES));
    }

    String[] limits = value.substring(equals + 1).split(":", -1);
    if (limits.length > 2) {
      throw invalid(value, "too many limits; use SOFT or SOFT:HARD");
    }
    long soft = parseLimit(value, limits[0]);
    long hard = limits.length == 2 ? parseLimit(value, limits[1]) : soft;
    if (hard != UNLIMITED) {
      if (soft == UNLIMITED) {
        throw invalid(value, "the soft limit is unlimited but the hard limit is " + hard + "; the soft limit must not exceed the hard limit");
      }
      if (soft > hard) {
        throw invalid(value, "the soft limit " + soft + " exceeds the hard limit " + hard);
      }
    }
    return new Ulimit(name, soft, hard);
  }

  private static long parseLimit(String value, String limit) {
    if (limit.equals("infinity")) {
      return UNLIMITED;
    }
    try {
      return Long.parseLong(limit);
    } catch (NumberFormatException e) {
      throw invalid(value, "\"" + limit + "\" is not an integer or infinity");
    }
  }

  private static InvalidOptionException invalid(String value, String reason) {
    return new InvalidOptionException("invalid ulimit \"" + value + "\": " + reason);
  }

  /** Returns {@code name=soft:hard}, the form of BuildKit's {@code ulimit} frontend attribute. */
  @Override
  public String toString() {
    return name + "=" + soft + ":" + hard;
  }
}
