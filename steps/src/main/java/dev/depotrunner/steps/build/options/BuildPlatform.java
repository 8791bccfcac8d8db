package dev.depotrunner.steps.build.options;

/** Depot's {@code --build-platform}: the architecture of the machine that runs the build. */
public enum BuildPlatform {
  /** Depot picks a machine per target platform. */
  DYNAMIC("dynamic"),
  LINUX_AMD64("linux/amd64"),
  LINUX_ARM64("linux/arm64");

  private final String value;

  BuildPlatform(String value) {
    this.value = value;
  }

  /**
   * Parses {@code dynamic}, {@code linux/amd64} or {@code linux/arm64}.
   *
   * @throws InvalidOptionException for other values
   */
  public static BuildPlatform parse(String value) {
    for (BuildPlatform platform : values()) {
      if (platform.value.equals(value)) {
        return platform;
      }
    }
    throw new InvalidOptionException(
        "invalid build platform \"" + value + "\": use dynamic, linux/amd64 or linux/arm64");
  }

  /** Returns the value as written on the command line. */
  public String value() {
    return value;
  }
}
