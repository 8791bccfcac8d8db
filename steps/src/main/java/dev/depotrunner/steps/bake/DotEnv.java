package dev.depotrunner.steps.bake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .env} file as Compose does: {@code KEY=VALUE} lines, an optional {@code export} prefix,
 * {@code #} comments, single quotes kept literal, and double-quoted or bare values interpolated from the
 * variables known so far.
 */
final class DotEnv {

  private DotEnv() {}

  /**
   * Returns {@code environment} plus the variables of {@code file} that the environment does not set, or
   * {@code environment} unchanged when there is no such file.
   *
   * @throws BakeFileException naming the line that is not {@code KEY=VALUE}
   */
  static Map<String, String> load(Path file, Map<String, String> environment) throws BakeFileException {
    Map<String, String> merged = new LinkedHashMap<>(environment);
    if (!Files.isRegularFile(file)) {
      return merged;
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new BakeFileException(file.toString(), "failed to read: " + e.getMessage());
    }

    String[] lines = text.split("\\R", -1);
    for (int index = 0; index < lines.length; index++) {
      String line = lines[index].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int equals = line.indexOf('=');
      if (equals <= 0) {
        throw new BakeFileException(file.toString(), index + 1, 1, "\"" + line + "\" is not KEY=VALUE; fix or remove the line");
      }
      String key = line.substring(0, equals).strip();
      String value = unquote(line.substring(equals + 1).strip(), merged);
      merged.putIfAbsent(key, value);
    }
    return merged;
  }

  private static String unquote(String value, Map<String, String> known) {
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      return value.substring(1, value.length() - 1);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      String inner = value.substring(1, value.length() - 1).replace("\\n", "\n").replace("\\\"", "\"");
      return new ComposeInterpolation(known).apply(inner);
    }
    int comment = value.indexOf(" #");
    if (comment >= 0) {
      value = value.substring(0, comment).strip();
    }
    return new ComposeInterpolation(known).apply(value);
  }
}
