package dev.depotrunner.steps.build.options;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target platform, {@code os[(version[+feature...])]/architecture[/variant]}, parsed and normalized as
 * containerd's {@code platforms} package does for buildx's {@code --platform}: {@code amd64} is
 * {@code linux/amd64}, {@code x86_64} is {@code amd64}, {@code aarch64} and {@code linux/arm64/v8} are
 * {@code linux/arm64}, {@code linux/arm} is {@code linux/arm/v7}, {@code armhf} is {@code arm/v7}.
 *
 * <p>Two deliberate differences from containerd: a value without an OS gets {@code linux} rather than the
 * client's own OS, because builders run Linux; and {@code architecture/variant} such as {@code arm64/v8}
 * is read as {@code linux/arm64/v8} rather than as an OS named {@code arm64}.
 */
public final class Platform {

  private static final Pattern OS = Pattern.compile("^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.%-]*)((?:\\+[A-Za-z0-9_.%-]+)*)\\))?$");
  private static final Pattern COMPONENT = Pattern.compile("^[A-Za-z0-9_.-]+$");
  private static final List<String> KNOWN_OS =
      List.of("aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
          "netbsd", "openbsd", "plan9", "solaris", "windows", "zos");
  private static final List<String> KNOWN_ARCHITECTURES =
      List.of("386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le", "loong64",
          "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64", "s390",
          "s390x", "sparc", "sparc64", "wasm");

  private final String os;
  private final String architecture;
  private final String variant;
  private final String osVersion;
  private final List<String> osFeatures;

  public Platform(String os, String architecture, String variant, String osVersion, List<String> osFeatures) {
    this.os = Objects.requireNonNull(os, "os");
    this.architecture = Objects.requireNonNull(architecture, "architecture");
    this.variant = Objects.requireNonNullElse(variant, "");
    this.osVersion = Objects.requireNonNullElse(osVersion, "");
    this.osFeatures = List.copyOf(new TreeSet<>(osFeatures));
  }

  /**
   * Parses one platform and normalizes it. A lone architecture gets the OS {@code linux}, and a lone OS or
   * {@code local} gets this machine's architecture.
   *
   * @throws InvalidOptionException naming the value and the expected form
   */
  public static Platform parse(String specifier) {
    if (specifier.equalsIgnoreCase("local")) {
      return new Platform("linux", hostArchitecture(), "", "", List.of()).normalize();
    }
    if (specifier.contains("*")) {
      throw invalid(specifier, "wildcards are not supported");
    }

    String[] parts = specifier.split("/", 4);
    Matcher osMatch = OS.matcher(parts[0]);
    if (!osMatch.matches()) {
      throw invalid(specifier, "\"" + parts[0] + "\" is not a valid OS");
    }
    for (int i = 1; i < parts.length; i++) {
      if (!COMPONENT.matcher(parts[i]).matches()) {
        throw invalid(specifier, "\"" + parts[i] + "\" may only contain letters, digits, '_', '.' and '-'");
      }
    }
    String os = normalizeOs(osMatch.group(1));
    String osVersion = decodeOsOption(specifier, osMatch.group(2) == null ? "" : osMatch.group(2));
    List<String> features = new ArrayList<>();
    if (osMatch.group(3) != null && !osMatch.group(3).isEmpty()) {
      for (String feature : osMatch.group(3).substring(1).split("\\+")) {
        features.add(decodeOsOption(specifier, feature));
      }
    }

    Platform parsed =
        switch (parts.length) {
          case 1 -> parseSingle(specifier, os, osVersion, features);
          case 2 -> {
            if (!KNOWN_OS.contains(os) && KNOWN_ARCHITECTURES.contains(normalizeArchitecture(parts[0], "")[0])) {
              // containerd would read "arm64/v8" as OS arm64 with architecture v8; read it as
              // architecture/variant on Linux instead, which is what such a value means.
              yield parse("linux/" + specifier);
            }
            String[] arch = normalizeArchitecture(parts[1], "");
            yield new Platform(os, arch[0], arch[0].equals("arm") && arch[1].equals("v7") ? "" : arch[1], osVersion,
                features);
          }
          case 3 -> {
            String[] arch = normalizeArchitecture(parts[1], parts[2]);
            yield new Platform(os, arch[0], arch[0].equals("arm64") && arch[1].isEmpty() ? "v8" : arch[1],
                osVersion, features);
          }
          default -> throw invalid(specifier, "use os/architecture[/variant], such as linux/arm64");
        };
    return parsed.normalize();
  }

  private static Platform parseSingle(String specifier, String os, String osVersion, List<String> features) {
    if (KNOWN_OS.contains(os)) {
      return new Platform(os, hostArchitecture(), "", osVersion, features);
    }
    String[] arch = normalizeArchitecture(specifier, "");
    if (KNOWN_ARCHITECTURES.contains(arch[0])) {
      return new Platform("linux", arch[0], arch[0].equals("arm") && arch[1].equals("v7") ? "" : arch[1], "", List.of());
    }
    throw invalid(specifier, "unknown operating system or architecture; use os/architecture, such as linux/amd64");
  }

  /**
   * Parses {@code --platform} values, each of which may be a comma-separated list, keeping their order.
   */
  public static List<Platform> parseAll(List<String> values) {
    List<Platform> platforms = new ArrayList<>();
    for (String value : values) {
      for (String specifier : value.split(",", -1)) {
        platforms.add(parse(specifier));
      }
    }
    return platforms;
  }

  private Platform normalize() {
    String[] arch = normalizeArchitecture(architecture, variant);
    return new Platform(normalizeOs(os), arch[0], arch[1], osVersion, osFeatures);
  }

  private static String normalizeOs(String os) {
    String lower = os.toLowerCase(Locale.ROOT);
    return lower.equals("macos") ? "darwin" : lower;
  }

  /** Returns {architecture, variant} normalized as containerd's normalizeArch does. */
  private static String[] normalizeArchitecture(String architecture, String variant) {
    String arch = architecture.toLowerCase(Locale.ROOT);
    String variantLower = variant.toLowerCase(Locale.ROOT);
    switch (arch) {
      case "i386" -> {
        arch = "386";
        variantLower = "";
      }
      case "x86_64", "x86-64", "amd64" -> {
        arch = "amd64";
        if (variantLower.equals("v1")) {
          variantLower = "";
        }
      }
      case "aarch64", "arm64" -> {
        arch = "arm64";
        if (variantLower.equals("8") || variantLower.equals("v8")) {
          variantLower = "";
        }
      }
      case "armhf" -> {
        arch = "arm";
        variantLower = "v7";
      }
      case "armel" -> {
        arch = "arm";
        variantLower = "v6";
      }
      case "arm" -> {
        switch (variantLower) {
          case "", "7" -> variantLower = "v7";
          case "5", "6", "8" -> variantLower = "v" + variantLower;
          default -> {}
        }
      }
      default -> {}
    }
    return new String[] {arch, variantLower};
  }

  private static String decodeOsOption(String specifier, String option) {
    if (!option.contains("%")) {
      return option;
    }
    try {
      return URLDecoder.decode(option.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(specifier, "\"" + option + "\" has an invalid %-escape");
    }
  }

  private static String encodeOsOption(String option) {
    return option.replace("%", "%25").replace("+", "%2B").replace("(", "%28").replace(")", "%29").replace("/", "%2F");
  }

  /** The architecture of the machine running this program, in Go's naming. */
  static String hostArchitecture() {
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i486", "i586", "i686" -> "386";
      default -> arch;
    };
  }

  private static InvalidOptionException invalid(String specifier, String reason) {
    return new InvalidOptionException("invalid platform \"" + specifier + "\": " + reason);
  }

  public String os() {
    return os;
  }

  public String architecture() {
    return architecture;
  }

  /** The CPU variant, such as {@code v7}, or empty. */
  public String variant() {
    return variant;
  }

  /** The OS version (Windows builds), or empty. */
  public String osVersion() {
    return osVersion;
  }

  /** Required OS features, sorted. */
  public List<String> osFeatures() {
    return osFeatures;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Platform that && toString().equals(that.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /**
   * Returns the specifier as BuildKit's {@code platform} frontend attribute expects it, such as
   * {@code linux/arm/v7} or {@code windows(10.0.17763+win32k)/amd64}.
   */
  @Override
  public String toString() {
    var osPart = new StringBuilder(os);
    if (!osVersion.isEmpty() || !osFeatures.isEmpty()) {
      osPart.append('(').append(encodeOsOption(osVersion));
      for (String feature : osFeatures) {
        osPart.append('+').append(encodeOsOption(feature));
      }
      osPart.append(')');
    }
    var text = new StringBuilder(osPart).append('/').append(architecture);
    if (!variant.isEmpty()) {
      text.append('/').append(variant);
    }
    return text.toString();
  }
}
