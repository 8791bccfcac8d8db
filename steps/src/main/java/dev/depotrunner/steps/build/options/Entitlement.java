package dev.depotrunner.steps.build.options;

import java.util.List;

/**
 * One {@code --allow} entitlement: a privilege the build asks the builder for. BuildKit knows
 * {@code network.host}, {@code security.insecure} and {@code device}, which may name one device as
 * {@code device=NAME[,alias=ALIAS]}. The builder grants it only if its own configuration allows it.
 *
 * @param value the entitlement as sent to BuildKit in the Solve request, such as {@code network.host}
 */
public record Entitlement(String value) {

  public static final Entitlement NETWORK_HOST = new Entitlement("network.host");
  public static final Entitlement SECURITY_INSECURE = new Entitlement("security.insecure");

  /**
   * Parses one entitlement.
   *
   * @throws InvalidOptionException naming the value and the entitlements BuildKit knows
   */
  public static Entitlement parse(String value) {
    if (value.equals(NETWORK_HOST.value) || value.equals(SECURITY_INSECURE.value) || value.equals("device")) {
      return new Entitlement(value);
    }
    if (value.startsWith("device=")) {
      validateDevice(value, value.substring("device=".length()));
      return new Entitlement(value);
    }
    throw new InvalidOptionException(
        "invalid entitlement \"" + value + "\": use network.host, security.insecure or device[=NAME]");
  }

  private static void validateDevice(String value, String config) {
    List<String> fields;
    try {
      fields = GoCsv.readRecord(config);
    } catch (GoCsv.SyntaxException e) {
      throw new InvalidOptionException("invalid entitlement \"" + value + "\": " + e.getMessage(), e);
    }
    for (String field : fields.subList(1, fields.size())) {
      if (!field.startsWith("alias=")) {
        throw new InvalidOptionException(
            "invalid entitlement \"" + value + "\": \"" + field + "\" is not alias=NAME, the only device setting");
      }
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
