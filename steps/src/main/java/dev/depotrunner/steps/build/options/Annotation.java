package dev.depotrunner.steps.build.options;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One OCI annotation from {@code --annotation [TYPES:]KEY=VALUE}, added to every image-producing exporter.
 * TYPES is a comma list of {@code manifest}, {@code manifest-descriptor}, {@code index} and
 * {@code index-descriptor}, each with an optional {@code [PLATFORM]} for manifests; without TYPES the
 * annotation goes on the image manifest.
 *
 * @param type the annotation level, or empty for the default
 * @param platform the manifest platform it is limited to, or empty
 */
public record Annotation(String type, Optional<Platform> platform, String key, String value) {

  private static final Pattern TYPE_AND_PLATFORM = Pattern.compile("^([a-z-]+)(?:\\[([A-Za-z0-9_/-]+)\\])?$");
  private static final List<String> TYPES = List.of("index", "index-descriptor", "manifest", "manifest-descriptor");

  /**
   * Parses one flag value into one annotation per type it names.
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static List<Annotation> parse(String flagValue) {
    int equals = flagValue.indexOf('=');
    if (equals < 0) {
      throw invalid(flagValue, "use [TYPE:]KEY=VALUE, such as org.opencontainers.image.source=https://example.com/repo");
    }
    String key = flagValue.substring(0, equals);
    String value = flagValue.substring(equals + 1);

    int colon = key.indexOf(':');
    if (colon < 0) {
      return List.of(new Annotation("", Optional.empty(), key, value));
    }
    String types = key.substring(0, colon);
    String name = key.substring(colon + 1);
    List<Annotation> annotations = new ArrayList<>();
    for (String typeAndPlatform : types.split(",", -1)) {
      Matcher matcher = TYPE_AND_PLATFORM.matcher(typeAndPlatform);
      if (!matcher.matches()) {
        throw invalid(flagValue, "\"" + typeAndPlatform + "\" is not a type with an optional [platform]");
      }
      String type = matcher.group(1);
      if (!TYPES.contains(type)) {
        throw invalid(flagValue, "unknown annotation type \"" + type + "\"; use " + String.join(", ", TYPES));
      }
      Optional<Platform> platform = Optional.empty();
      if (matcher.group(2) != null) {
        try {
          platform = Optional.of(Platform.parse(matcher.group(2)));
        } catch (InvalidOptionException e) {
          throw invalid(flagValue, e.getMessage());
        }
      }
      annotations.add(new Annotation(type, platform, name, value));
    }
    return annotations;
  }

  private static InvalidOptionException invalid(String value, String reason) {
    return new InvalidOptionException("invalid annotation \"" + value + "\": " + reason);
  }

  /** Returns whether this annotation is on an image index or its descriptor. */
  public boolean onIndex() {
    return type.equals("index") || type.equals("index-descriptor");
  }

  /**
   * Returns the exporter attribute that carries this annotation in BuildKit, such as
   * {@code annotation.KEY}, {@code annotation-index.KEY} or {@code annotation-manifest[linux/amd64].KEY}.
   */
  public String exporterAttribute() {
    var prefix = new StringBuilder("annotation");
    if (!type.isEmpty()) {
      prefix.append('-').append(type);
    }
    if (type.startsWith("manifest") && platform.isPresent()) {
      prefix.append('[').append(platform.get()).append(']');
    }
    return prefix + "." + key;
  }
}
