package dev.depotrunner.buildkit.transport;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versions a builder reports: BuildKit's own (from {@code Control.Info} on BuildKit v0.11 and
 * newer, else from the workers' records), and for a Docker Engine the engine and API versions from
 * {@code GET /version}. A BuildKit older than v0.11, such as the one in Docker Engine 20.10, reports
 * no version; callers then name the Docker Engine version in messages.
 */
public final class BuilderVersion {

  private static final Pattern SEMVER = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

  private final String buildkit;
  private final String dockerEngine;
  private final String dockerApi;

  BuilderVersion(String buildkit, String dockerEngine, String dockerApi) {
    this.buildkit = isUnstamped(buildkit) ? null : emptyToNull(buildkit);
    this.dockerEngine = emptyToNull(dockerEngine);
    this.dockerApi = emptyToNull(dockerApi);
  }

  /**
   * The BuildKit version as reported, such as {@code v0.23.2}. Empty before BuildKit v0.11, and when
   * the builder was built without a version (it then reports {@code v0.0.0+unknown}); callers that
   * gate a feature should then try it and report an Unimplemented status instead.
   */
  public Optional<String> buildkit() {
    return Optional.ofNullable(buildkit);
  }

  /** The Docker Engine version, such as {@code 28.3.3}; empty for buildkitd. */
  public Optional<String> dockerEngine() {
    return Optional.ofNullable(dockerEngine);
  }

  /** The Docker Engine API version, such as {@code 1.51}; empty for buildkitd. */
  public Optional<String> dockerApi() {
    return Optional.ofNullable(dockerApi);
  }

  /**
   * Returns whether the BuildKit version is known and at least {@code minimum} (such as {@code
   * v0.13.0}). An unknown or unparsable version returns false, so check {@link #buildkit()} before
   * telling a user that the builder is too old.
   */
  public boolean isBuildkitAtLeast(String minimum) {
    int[] actual = parse(buildkit);
    int[] required = parse(minimum);
    if (actual == null || required == null) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      if (actual[i] != required[i]) {
        return actual[i] > required[i];
      }
    }
    return true;
  }

  private static int[] parse(String version) {
    if (version == null) {
      return null;
    }
    Matcher matcher = SEMVER.matcher(version.strip());
    if (!matcher.matches()) {
      return null;
    }
    return new int[] {
      Integer.parseInt(matcher.group(1)),
      Integer.parseInt(matcher.group(2)),
      matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3))
    };
  }

  /** Returns a description for messages, such as {@code BuildKit v0.23.2 (Docker Engine 28.3.3)}. */
  @Override
  public String toString() {
    String buildkitPart = buildkit != null ? "BuildKit " + buildkit : "BuildKit of unknown version";
    if (dockerEngine == null) {
      return buildkitPart;
    }
    return buildkitPart + " (Docker Engine " + dockerEngine + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BuilderVersion that
        && Objects.equals(buildkit, that.buildkit)
        && Objects.equals(dockerEngine, that.dockerEngine)
        && Objects.equals(dockerApi, that.dockerApi);
  }

  @Override
  public int hashCode() {
    return Objects.hash(buildkit, dockerEngine, dockerApi);
  }

  /**
   * Whether the version is the placeholder of a BuildKit built without version stamping, such as
   * {@code v0.0.0+unknown} from Debian's docker.io 28 package.
   */
  private static boolean isUnstamped(String version) {
    return version != null && version.strip().matches("v?0\\.0\\.0([+-].*)?");
  }

  private static String emptyToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
