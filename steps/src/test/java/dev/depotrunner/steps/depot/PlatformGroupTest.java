package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.steps.build.options.BuildPlatform;
import dev.depotrunner.steps.build.options.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformGroupTest {

  private static final BuilderPlatform AMD64 = BuilderPlatform.BUILDER_PLATFORM_AMD64;
  private static final BuilderPlatform ARM64 = BuilderPlatform.BUILDER_PLATFORM_ARM64;

  private static List<Platform> platforms(String... specifiers) {
    return Platform.parseAll(List.of(specifiers));
  }

  @Test
  void dynamic_splitsByArchitecture() {
    List<PlatformGroup> groups =
        PlatformGroup.split(platforms("linux/arm64", "linux/amd64", "linux/arm/v7", "linux/386"), BuildPlatform.DYNAMIC, AMD64);

    assertEquals(2, groups.size());
    assertEquals(AMD64, groups.get(0).builder());
    assertEquals(platforms("linux/amd64", "linux/386"), groups.get(0).platforms());
    assertEquals(ARM64, groups.get(1).builder());
    assertEquals(platforms("linux/arm64", "linux/arm/v7"), groups.get(1).platforms());
  }

  @Test
  void dynamic_oneArchitectureIsOneBuilder() {
    List<PlatformGroup> arm = PlatformGroup.split(platforms("linux/arm64", "linux/arm/v6"), BuildPlatform.DYNAMIC, AMD64);
    List<PlatformGroup> amd = PlatformGroup.split(platforms("linux/amd64/v3"), BuildPlatform.DYNAMIC, ARM64);

    assertEquals(List.of(new PlatformGroup(ARM64, platforms("linux/arm64", "linux/arm/v6"))), arm);
    assertEquals(List.of(new PlatformGroup(AMD64, platforms("linux/amd64/v3"))), amd);
  }

  @Test
  void dynamic_foreignPlatformGoesToFallback() {
    List<PlatformGroup> groups =
        PlatformGroup.split(platforms("linux/s390x", "linux/arm64", "windows/amd64"), BuildPlatform.DYNAMIC, ARM64);

    assertEquals(List.of(new PlatformGroup(ARM64, platforms("linux/s390x", "linux/arm64", "windows/amd64"))), groups);
  }

  @Test
  void dynamic_noPlatformUsesFallback() {
    assertEquals(List.of(new PlatformGroup(ARM64, List.of())), PlatformGroup.split(List.of(), BuildPlatform.DYNAMIC, ARM64));
  }

  @Test
  void buildPlatform_putsEverythingOnOneBuilder() {
    List<Platform> both = platforms("linux/amd64", "linux/arm64");

    assertEquals(List.of(new PlatformGroup(AMD64, both)), PlatformGroup.split(both, BuildPlatform.LINUX_AMD64, ARM64));
    assertEquals(List.of(new PlatformGroup(ARM64, both)), PlatformGroup.split(both, BuildPlatform.LINUX_ARM64, AMD64));
  }

  @Test
  void label_namesArchitecture() {
    assertEquals("amd64", new PlatformGroup(AMD64, List.of()).label());
    assertEquals("arm64", new PlatformGroup(ARM64, List.of()).label());
  }
}
