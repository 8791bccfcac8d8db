package dev.depotrunner.steps.build.options;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One {@code -o/--output}: an exporter type, its attributes and where the client receives the result.
 *
 * <p>Accepted forms, parsed as buildx does with Go's CSV rules (see {@link GoCsv}):
 *
 * <ul>
 *   <li>{@code type=TYPE[,dest=PATH][,key=value...]}, where TYPE is {@code image}, {@code registry},
 *       {@code docker}, {@code local}, {@code tar}, {@code oci} or {@code cacheonly}; keys are trimmed and
 *       lowercased;
 *   <li>{@code PATH}, short for {@code type=local,dest=PATH};
 *   <li>{@code -}, short for {@code type=tar,dest=-}: a tarball on stdout.
 * </ul>
 *
 * <p>The destination is a folder for {@code local} and for {@code oci}/{@code docker} with
 * {@code tar=false}; a file for {@code tar} and for {@code oci}/{@code docker} otherwise, where {@code -}
 * is stdout and the default for {@code tar} and {@code oci}. {@code docker} without a destination loads
 * the image into the Docker Engine.
 */
public record OutputSpec(String type, SortedMap<String, String> attributes, Optional<String> destination) {

  /** Every exporter type the flag accepts. */
  public static final List<String> TYPES = List.of("image", "registry", "docker", "local", "tar", "oci", "cacheonly");

  /** {@code -}: the destination that means stdout. */
  public static final String STDOUT = "-";

  public OutputSpec {
    attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }

  /**
   * Parses one {@code --output} value.
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static OutputSpec parse(String value) {
    List<String> fields;
    try {
      fields = GoCsv.readRecord(value);
    } catch (GoCsv.SyntaxException e) {
      throw invalid(value, e.getMessage());
    }

    if (fields.size() == 1 && fields.get(0).equals(value) && !value.startsWith("type=")) {
      if (value.equals(STDOUT)) {
        return new OutputSpec("tar", new TreeMap<>(), Optional.of(STDOUT));
      }
      return new OutputSpec("local", new TreeMap<>(), Optional.of(value));
    }

    String type = "";
    String destination = null;
    SortedMap<String, String> attributes = new TreeMap<>();
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw invalid(value, "\"" + field + "\" is not key=value; use type=TYPE[,key=value...], such as type=local,dest=out");
      }
      String key = field.substring(0, equals).trim().toLowerCase(Locale.ROOT);
      String fieldValue = field.substring(equals + 1);
      switch (key) {
        case "type" -> type = fieldValue;
        case "dest" -> destination = fieldValue;
        default -> attributes.put(key, fieldValue);
      }
    }
    if (type.isEmpty()) {
      throw invalid(value, "type is required, such as type=local,dest=out");
    }
    if (!TYPES.contains(type)) {
      throw invalid(value, "unknown type \"" + type + "\"; use one of " + String.join(", ", TYPES));
    }

    var spec = new OutputSpec(type, attributes, Optional.ofNullable(destination));
    if (spec.writesDirectory()) {
      if (destination == null || destination.isEmpty()) {
        throw invalid(value, "dest is required for the " + type + " exporter, such as type=" + type + ",dest=out");
      }
      if (destination.equals(STDOUT)) {
        throw invalid(value, "the " + type + " exporter writes a folder and cannot write to stdout; set dest to a folder");
      }
    }
    if (spec.writesFile() && (destination == null || destination.isEmpty()) && !type.equals("docker")) {
      return spec.withDestination(STDOUT);
    }
    if (destination != null && destination.isEmpty()) {
      return new OutputSpec(type, attributes, Optional.empty());
    }
    return spec;
  }

  private static InvalidOptionException invalid(String value, String reason) {
    return new InvalidOptionException("invalid output \"" + value + "\": " + reason);
  }

  /** Returns whether the client receives a folder: {@code local}, or {@code oci}/{@code docker} with tar=false. */
  public boolean writesDirectory() {
    return switch (type) {
      case "local" -> true;
      case "oci", "docker" -> !tarball();
      default -> false;
    };
  }

  /** Returns whether the client receives one file (or stdout): {@code tar}, or {@code oci}/{@code docker} tarballs. */
  public boolean writesFile() {
    return switch (type) {
      case "tar" -> true;
      case "oci", "docker" -> tarball();
      default -> false;
    };
  }

  /** Returns whether this output writes to stdout. */
  public boolean writesStdout() {
    return writesFile() && destination.filter(STDOUT::equals).isPresent();
  }

  /** Returns whether the {@code tar} attribute asks for a tarball; as buildx, anything but a boolean is true. */
  private boolean tarball() {
    String tar = attributes.get("tar");
    if (tar == null) {
      return true;
    }
    return GoBool.parse(tar).orElse(true);
  }

  /** Returns a copy with another destination, such as the absolute form of a relative path. */
  public OutputSpec withDestination(String newDestination) {
    return new OutputSpec(type, attributes, Optional.of(newDestination));
  }
}
