package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases worked out from containerd's platforms.Parse followed by platforms.Normalize, as buildx applies them. */
class PlatformTest {

  private static void assertPlatform(String value, String expected) {
    assertEquals(expected, Platform.parse(value).toString(), "platform " + value);
  }

  @Test
  void parse_normalizes() {
    assertPlatform("linux/amd64", "linux/amd64");
    assertPlatform("amd64", "linux/amd64");
    assertPlatform("x86_64", "linux/amd64");
    assertPlatform("linux/x86-64", "linux/amd64");
    assertPlatform("linux/amd64/v1", "linux/amd64");
    assertPlatform("linux/amd64/v3", "linux/amd64/v3");
    assertPlatform("aarch64", "linux/arm64");
    assertPlatform("linux/arm64/v8", "linux/arm64");
    assertPlatform("linux/arm64/8", "linux/arm64");
    assertPlatform("arm64/v8", "linux/arm64");
    assertPlatform("linux/arm", "linux/arm/v7");
    assertPlatform("linux/arm/7", "linux/arm/v7");
    assertPlatform("linux/arm/v6", "linux/arm/v6");
    assertPlatform("linux/armhf", "linux/arm/v7");
    assertPlatform("linux/armel", "linux/arm/v6");
    assertPlatform("arm", "linux/arm/v7");
    assertPlatform("i386", "linux/386");
    assertPlatform("Linux/AMD64", "linux/amd64");
    assertPlatform("macos/arm64", "darwin/arm64");
    assertPlatform("linux/riscv64", "linux/riscv64");
    assertPlatform("windows(10.0.17763)/amd64", "windows(10.0.17763)/amd64");
    assertPlatform("windows(10.0.17763+win32k)/amd64", "windows(10.0.17763+win32k)/amd64");
  }

  @Test
  void parse_loneOsUsesTheHostArchitecture() {
    Platform platform = Platform.parse("linux");
    assertEquals("linux", platform.os());
    assertEquals(Platform.hostArchitecture(), platform.architecture());
    assertEquals("linux", Platform.parse("local").os());
  }

  @Test
  void parseAll_splitsCommaLists() {
    List<Platform> platforms = Platform.parseAll(List.of("linux/amd64,linux/arm64", "linux/arm/v7"));
    assertEquals(List.of("linux/amd64", "linux/arm64", "linux/arm/v7"), platforms.stream().map(Platform::toString).toList());
  }

  @Test
  void parse_rejectsInvalidPlatforms() {
    for (String value : new String[] {"foo", "linux/*", "linux/amd 64", "linux/amd64/v2/x", "", "linux/", "/amd64"}) {
      String message = assertThrows(InvalidOptionException.class, () -> Platform.parse(value), value).getMessage();
      assertTrue(message.startsWith("invalid platform \"" + value + "\""), message);
    }
  }
}
