package dev.depotrunner.steps.depot;

import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.steps.build.options.BuildPlatform;
import dev.depotrunner.steps.build.options.Platform;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The target platforms that one Depot builder builds, and the builder's architecture.
 *
 * @param platforms in {@code --platform} order, or empty for the builder's own platform
 */
record PlatformGroup(BuilderPlatform builder, List<Platform> platforms) {

  /** The platforms an amd64 builder runs natively, as the Depot CLI lists them for its amd64 node. */
  private static final Set<String> AMD64_NATIVE = Set.of("amd64", "amd64/v2", "amd64/v3", "386");

  /** The platforms an arm64 builder runs natively, as the Depot CLI lists them for its arm64 node. */
  private static final Set<String> ARM64_NATIVE = Set.of("arm64", "arm64/v8", "arm", "arm/v6", "arm/v7", "arm/v8");

  PlatformGroup {
    platforms = List.copyOf(platforms);
  }

  /** Returns the builder's architecture as the label of its progress and errors, such as {@code amd64}. */
  String label() {
    return builder == BuilderPlatform.BUILDER_PLATFORM_ARM64 ? "arm64" : "amd64";
  }

  /**
   * Splits the target platforms over Depot builders. {@code --build-platform linux/amd64} or
   * {@code linux/arm64} puts every platform on that one builder, which emulates the others. In dynamic
   * mode each platform goes to the builder of its architecture, and a platform that neither runs natively
   * (such as {@code linux/s390x}) goes to {@code fallback}, as the Depot CLI sends it to its first node.
   *
   * @return one group per builder, amd64 first; a single group when one builder suffices
   */
  static List<PlatformGroup> split(List<Platform> platforms, BuildPlatform buildPlatform, BuilderPlatform fallback) {
    switch (buildPlatform) {
      case LINUX_AMD64:
        return List.of(new PlatformGroup(BuilderPlatform.BUILDER_PLATFORM_AMD64, platforms));
      case LINUX_ARM64:
        return List.of(new PlatformGroup(BuilderPlatform.BUILDER_PLATFORM_ARM64, platforms));
      default:
        break;
    }
    if (platforms.isEmpty()) {
      return List.of(new PlatformGroup(fallback, platforms));
    }

    Map<BuilderPlatform, List<Platform>> byBuilder = new EnumMap<>(BuilderPlatform.class);
    for (Platform platform : platforms) {
      byBuilder.computeIfAbsent(builderOf(platform, fallback), builder -> new ArrayList<>()).add(platform);
    }
    List<PlatformGroup> groups = new ArrayList<>();
    for (BuilderPlatform builder : List.of(BuilderPlatform.BUILDER_PLATFORM_AMD64, BuilderPlatform.BUILDER_PLATFORM_ARM64)) {
      List<Platform> members = byBuilder.get(builder);
      if (members != null) {
        groups.add(new PlatformGroup(builder, members));
      }
    }
    return List.copyOf(groups);
  }

  /**
   * Returns the builder for platforms that no builder runs natively: arm64 on an arm64 client, else amd64,
   * because the Depot CLI lists the node of its own architecture first.
   */
  static BuilderPlatform hostBuilder() {
    String architecture = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean arm = architecture.equals("aarch64") || architecture.equals("arm64") || architecture.startsWith("arm");
    return arm ? BuilderPlatform.BUILDER_PLATFORM_ARM64 : BuilderPlatform.BUILDER_PLATFORM_AMD64;
  }

  private static BuilderPlatform builderOf(Platform platform, BuilderPlatform fallback) {
    if (!platform.os().equals("linux")) {
      return fallback;
    }
    String architecture = platform.variant().isEmpty()
        ? platform.architecture()
        : platform.architecture() + "/" + platform.variant();
    if (AMD64_NATIVE.contains(architecture)) {
      return BuilderPlatform.BUILDER_PLATFORM_AMD64;
    }
    if (ARM64_NATIVE.contains(architecture)) {
      return BuilderPlatform.BUILDER_PLATFORM_ARM64;
    }
    return fallback;
  }
}
