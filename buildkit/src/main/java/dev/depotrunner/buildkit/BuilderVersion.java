package dev.depotrunner.buildkit;

/**
 * What a builder says about itself.
 *
 * @param buildkitVersion such as {@code v0.23.2}, or empty when the builder does not say
 * @param source where the version came from: {@code Info}, {@code ListWorkers}, or empty
 */
public record BuilderVersion(String buildkitVersion, String source) {

  /**
   * Returns whether the version is at least {@code major.minor}; an unknown version counts as new
   * enough, so that a builder that does not report one is not refused.
   */
  public boolean atLeast(int major, int minor) {
    String digits = buildkitVersion.startsWith("v") ? buildkitVersion.substring(1) : buildkitVersion;
    String[] parts = digits.split("[.\\-+]");
    try {
      int foundMajor = Integer.parseInt(parts[0]);
      int foundMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return foundMajor > major || (foundMajor == major && foundMinor >= minor);
    } catch (NumberFormatException e) {
      return true;
    }
  }
}
