package dev.depotrunner.steps.build;

import java.util.Objects;
import java.util.Optional;

/**
 * What the planner needs to know about the builder, which buildx reads from its driver: whether it is a
 * Docker Engine or a BuildKit daemon, its BuildKit version, and for a Docker Engine whether the engine
 * uses the containerd image store (its workers then carry the label
 * {@code org.mobyproject.buildkit.worker.snapshotter}) and its host gateway address (the worker label
 * {@code org.mobyproject.buildkit.worker.moby.host-gateway-ip}).
 *
 * @param buildkitVersion such as {@code v0.23.2}; empty when the builder does not report it, in which case
 *     every versioned capability counts as present and the builder itself rejects what it lacks
 * @param dockerHostStore whether a Docker Engine builder is the engine {@code DOCKER_HOST} names, so that
 *     {@code --load} exports into its image store; otherwise the image goes there through the Engine API
 */
public record SolvePlanBuilderProfile(
    Kind kind,
    String buildkitVersion,
    boolean containerdImageStore,
    Optional<String> hostGatewayAddress,
    boolean dockerHostStore) {

  /** The two kinds of builder a build can run on. */
  public enum Kind {
    /** A Docker Engine's built-in BuildKit, which exports into the engine's image store. */
    DOCKER_ENGINE,
    /** A BuildKit daemon (buildkitd), reached through BUILDKIT_HOST or --builder. */
    BUILDKIT
  }

  public SolvePlanBuilderProfile {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(buildkitVersion, "buildkitVersion");
    Objects.requireNonNull(hostGatewayAddress, "hostGatewayAddress");
  }

  /** A BuildKit daemon of the given version (empty when unknown). */
  public static SolvePlanBuilderProfile buildkit(String buildkitVersion) {
    return new SolvePlanBuilderProfile(Kind.BUILDKIT, buildkitVersion, true, Optional.empty(), false);
  }

  /** A Docker Engine builder that is also the engine {@code DOCKER_HOST} names. */
  public static SolvePlanBuilderProfile dockerEngine(
      String buildkitVersion, boolean containerdImageStore, Optional<String> hostGatewayAddress) {
    return new SolvePlanBuilderProfile(Kind.DOCKER_ENGINE, buildkitVersion, containerdImageStore, hostGatewayAddress, true);
  }

  /** Returns a copy for a Docker Engine builder other than the engine {@code DOCKER_HOST} names. */
  public SolvePlanBuilderProfile withOtherDockerHost() {
    return new SolvePlanBuilderProfile(kind, buildkitVersion, containerdImageStore, hostGatewayAddress, false);
  }

  boolean isDockerEngine() {
    return kind == Kind.DOCKER_ENGINE;
  }

  /** Returns whether {@code --load} exports straight into the builder's image store. */
  boolean loadsIntoOwnStore() {
    return kind == Kind.DOCKER_ENGINE && dockerHostStore;
  }

  /**
   * Returns whether the builder's image store holds multi-platform images and attestations, which a
   * Docker Engine does only with the containerd image store; the same holds for the {@code oci} and
   * {@code docker} exporters and for exporting cache.
   */
  boolean multiPlatformStore() {
    return kind == Kind.BUILDKIT || containerdImageStore;
  }

  /** Returns whether the builder's version has a capability; an unknown version counts as new enough. */
  boolean supports(SolvePlan.Requirement requirement) {
    String minimum = requirement.minimumVersion();
    if (!minimum.startsWith("v")) {
      return true;
    }
    int[] required = parseVersion(minimum);
    int[] actual = parseVersion(buildkitVersion);
    if (required == null || actual == null) {
      return true;
    }
    return actual[0] > required[0] || (actual[0] == required[0] && actual[1] >= required[1]);
  }

  private static int[] parseVersion(String version) {
    String digits = version.startsWith("v") ? version.substring(1) : version;
    String[] parts = digits.split("[.\\-+]");
    try {
      return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
