package dev.depotrunner.depotapi;

import java.util.Locale;

/**
 * The User-Agent header of API calls, in the Depot CLI's form {@code
 * <product>/<version>/<os>/<arch>/<terminal|ci>}, with Go's names for the OS and architecture, such as
 * {@code depot-runner/0.1.0/linux/amd64/ci}.
 */
public final class UserAgent {

  private UserAgent() {}

  /**
   * Returns the User-Agent for this process.
   *
   * @param version the depot-runner version, such as {@code 0.1.0}, or {@code dev}
   * @param ci whether the process runs in a CI job
   */
  public static String of(String version, boolean ci) {
    return of(version, System.getProperty("os.name", ""), System.getProperty("os.arch", ""), ci);
  }

  static String of(String version, String osName, String osArch, boolean ci) {
    return "depot-runner/" + version + "/" + goOs(osName) + "/" + goArch(osArch) + "/" + (ci ? "ci" : "terminal");
  }

  private static String goOs(String osName) {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("linux")) {
      return "linux";
    }
    if (name.startsWith("mac") || name.startsWith("darwin")) {
      return "darwin";
    }
    if (name.startsWith("windows")) {
      return "windows";
    }
    return name.replace(' ', '-');
  }

  private static String goArch(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      default -> osArch.toLowerCase(Locale.ROOT);
    };
  }
}
