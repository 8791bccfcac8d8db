package dev.depotrunner.steps.build.options;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One attestation request: {@code --attest type=TYPE[,disabled=BOOL][,key=value...]}, or the shorthands
 * {@code --provenance VALUE} and {@code --sbom VALUE}, where VALUE is a boolean or the attributes, such as
 * {@code mode=max}. TYPE is {@code provenance} or {@code sbom}, the two BuildKit knows.
 */
public record AttestSpec(String type, boolean disabled, SortedMap<String, String> attributes) {

  /** The attestation types BuildKit accepts. */
  public static final List<String> TYPES = List.of("provenance", "sbom");

  public AttestSpec {
    attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
  }

  /**
   * Parses one {@code --attest} value, with Go's CSV rules (see {@link GoCsv}).
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static AttestSpec parse(String value) {
    List<String> fields;
    try {
      fields = GoCsv.readRecord(value);
    } catch (GoCsv.SyntaxException e) {
      throw invalid(value, e.getMessage());
    }

    String type = "";
    boolean disabled = false;
    SortedMap<String, String> attributes = new TreeMap<>();
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw invalid(value, "\"" + field + "\" is not key=value; use type=provenance|sbom[,key=value...]");
      }
      String key = field.substring(0, equals);
      String fieldValue = field.substring(equals + 1);
      switch (key.trim().toLowerCase(Locale.ROOT)) {
        case "type" -> type = fieldValue;
        case "disabled" ->
            disabled = GoBool.parse(fieldValue)
                .orElseThrow(() -> invalid(value, "disabled=" + fieldValue + " is not a boolean; use true or false"));
        default -> attributes.put(key, fieldValue);
      }
    }
    if (type.isEmpty()) {
      throw invalid(value, "the attestation type is missing; add type=provenance or type=sbom");
    }
    if (!TYPES.contains(type)) {
      throw invalid(value, "unknown attestation type \"" + type + "\"; use provenance or sbom");
    }
    return new AttestSpec(type, disabled, attributes);
  }

  /**
   * Parses the value of a shorthand flag ({@code --provenance}, {@code --sbom}) the way buildx expands it:
   * a boolean turns the attestation on or off, anything else is its attributes.
   */
  public static AttestSpec parseShorthand(String type, String value) {
    var enabled = GoBool.parse(value);
    if (enabled.isPresent()) {
      return parse("type=" + type + ",disabled=" + !enabled.get());
    }
    return parse("type=" + type + "," + value);
  }

  /**
   * Returns the value of the {@code attest:TYPE} frontend attribute, as buildx writes it: the type first,
   * then the attributes sorted by key, each {@code key=value} pair CSV-quoted when it contains a comma or a
   * quote.
   */
  public String frontendValue() {
    var text = new StringBuilder();
    appendPair(text, "type", type);
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      appendPair(text, attribute.getKey(), attribute.getValue());
    }
    return text.toString();
  }

  private static void appendPair(StringBuilder text, String key, String value) {
    if (!text.isEmpty()) {
      text.append(',');
    }
    String pair = key + "=" + value;
    if (pair.indexOf(',') >= 0 || pair.indexOf('"') >= 0) {
      pair = '"' + pair.replace("\"", "\"\"") + '"';
    }
    text.append(pair);
  }

  private static InvalidOptionException invalid(String value, String reason) {
    return new InvalidOptionException("invalid attestation \"" + value + "\": " + reason);
  }
}
