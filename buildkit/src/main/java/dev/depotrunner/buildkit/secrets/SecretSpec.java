package dev.depotrunner.buildkit.secrets;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A build secret as buildx's {@code --secret} flag describes it: an id, and the file or
 * environment variable whose value the builder receives for it.
 *
 * <p>The accepted forms, as comma-separated {@code key=value} fields (CSV quoting allowed):
 *
 * <ul>
 *   <li>{@code id=NAME,src=PATH} (or {@code source=PATH}): the contents of a file
 *   <li>{@code id=NAME,env=VARIABLE}: the value of an environment variable
 *   <li>{@code type=env,id=NAME,src=VARIABLE}: {@code src} names the variable
 *   <li>{@code id=NAME} alone: the variable {@code NAME} if it is set when the provider is
 *       created, else the file {@code NAME}
 * </ul>
 *
 * @param id the id that {@code RUN --mount=type=secret,id=...} requests; empty if not given
 * @param filePath the file to read, or empty
 * @param env the environment variable to read, or empty
 */
public record SecretSpec(String id, String filePath, String env) {

  public SecretSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(filePath, "filePath");
    Objects.requireNonNull(env, "env");
  }

  public static SecretSpec ofFile(String id, String filePath) {
    return new SecretSpec(id, filePath, "");
  }

  public static SecretSpec ofEnv(String id, String env) {
    return new SecretSpec(id, "", env);
  }

  /**
   * Parses a {@code --secret} value.
   *
   * @throws IllegalArgumentException naming the value and the field that is invalid
   */
  public static SecretSpec parse(String value) {
    List<String> fields;
    try {
      fields = CsvFields.split(value);
    } catch (IllegalArgumentException e) {
      throw invalid(value, "it is not valid CSV: " + e.getMessage());
    }
    if (fields.isEmpty()) {
      throw invalid(value, "it is empty; expected id=NAME,src=PATH or id=NAME,env=VARIABLE");
    }

    String type = "";
    String id = "";
    String filePath = "";
    String env = "";
    for (String field : fields) {
      int equals = field.indexOf('=');
      if (equals < 0) {
        throw invalid(value, "field \"" + field + "\" must be a key=value pair");
      }
      String key = field.substring(0, equals).toLowerCase(Locale.ROOT);
      String fieldValue = field.substring(equals + 1);
      switch (key) {
        case "type" -> {
          if (!fieldValue.equals("file") && !fieldValue.equals("env")) {
            throw invalid(value, "unsupported secret type \"" + fieldValue + "\"; use file or env");
          }
          type = fieldValue;
        }
        case "id" -> id = fieldValue;
        case "source", "src" -> filePath = fieldValue;
        case "env" -> env = fieldValue;
        default -> throw invalid(
            value, "unexpected key \"" + key + "\"; use id, src, source, env or type");
      }
    }

    if (type.equals("env") && env.isEmpty()) {
      env = filePath;
      filePath = "";
    }
    return new SecretSpec(id, filePath, env);
  }

  private static IllegalArgumentException invalid(String value, String reason) {
    return new IllegalArgumentException("invalid secret \"" + value + "\": " + reason);
  }

  /** Returns the spec in the {@code --secret} form, for messages. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("id=").append(id);
    if (!filePath.isEmpty()) {
      text.append(",src=").append(filePath);
    }
    if (!env.isEmpty()) {
      text.append(",env=").append(env);
    }
    return text.toString();
  }
}
