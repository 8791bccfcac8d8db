package dev.depotrunner.steps.build.options;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One cache import ({@code --cache-from}) or export ({@code --cache-to}) entry: a BuildKit cache backend and
 * its attributes.
 *
 * <p>Accepted forms, parsed as buildx does with Go's CSV rules (see {@link GoCsv}):
 *
 * <ul>
 *   <li>{@code type=TYPE[,key=value...]}, where TYPE is {@code registry}, {@code local}, {@code inline},
 *       {@code gha}, {@code s3} or {@code azblob}; keys are lowercased;
 *   <li>a bare reference {@code user/app:cache}, short for {@code type=registry,ref=user/app:cache}, and a
 *       comma list of bare references, one entry each.
 * </ul>
 *
 * <p>{@link #toString()} hides credential attributes such as {@code token} and {@code secret_access_key}.
 */
public record CacheSpec(String type, SortedMap<String, String> attributes) {

  /** Every cache backend the flags accept. */
  public static final List<String> TYPES = List.of("registry", "local", "inline", "gha", "s3", "azblob");

  /** Attributes that carry credentials and never appear in {@link #toString()}. */
  private static final Set<String> SECRET_ATTRIBUTES =
      Set.of("token", "access_key_id", "secret_access_key", "session_token");

  public CacheSpec {
    attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }

  /**
   * Parses one flag value into its entries: one, or several for a comma list of bare references, or none
   * for an empty value.
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static List<CacheSpec> parse(String value) {
    if (value.isEmpty()) {
      return List.of();
    }
    List<String> fields = readFields(value);

    if (!value.contains("=")) {
      List<CacheSpec> references = new ArrayList<>();
      for (String field : fields) {
        references.add(new CacheSpec("registry", new TreeMap<>(Map.of("ref", field))));
      }
      return references;
    }

    String type = "";
    SortedMap<String, String> attributes = new TreeMap<>();
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw invalid(value, "\"" + field + "\" is not key=value; use type=TYPE[,key=value...], such as type=registry,ref=user/app:cache");
      }
      String key = field.substring(0, equals).toLowerCase(Locale.ROOT);
      String fieldValue = field.substring(equals + 1);
      if (key.equals("type")) {
        type = fieldValue;
      } else {
        attributes.put(key, fieldValue);
      }
    }
    if (type.isEmpty()) {
      throw invalid(value, "type is required, such as type=registry,ref=user/app:cache");
    }
    if (!TYPES.contains(type)) {
      throw invalid(value, "unknown type \"" + type + "\"; use one of " + String.join(", ", TYPES));
    }
    return List.of(new CacheSpec(type, attributes));
  }

  private static List<String> readFields(String value) {
    try {
      return GoCsv.readRecord(value);
    } catch (GoCsv.SyntaxException e) {
      throw invalid(value, e.getMessage());
    }
  }

  private static InvalidOptionException invalid(String value, String reason) {
    return new InvalidOptionException("invalid cache option \"" + redact(value) + "\": " + reason);
  }

  /** Hides the values of credential attributes in a raw flag value before it goes into a message. */
  private static String redact(String value) {
    String redacted = value;
    for (String key : SECRET_ATTRIBUTES) {
      redacted = redacted.replaceAll("(?i)(" + key + "=)[^,\"]*", "$1***");
    }
    return redacted;
  }

  /** Returns a copy with one attribute set. */
  public CacheSpec withAttribute(String key, String value) {
    var copy = new TreeMap<>(attributes);
    copy.put(key, value);
    return new CacheSpec(type, copy);
  }

  @Override
  public String toString() {
    var text = new StringBuilder("type=").append(type);
    attributes.forEach(
        (key, value) -> text.append(',').append(key).append('=').append(SECRET_ATTRIBUTES.contains(key) ? "***" : value));
    return text.toString();
  }
}
