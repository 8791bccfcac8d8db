package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --set} values for one target and key, collected as buildx collects them: list keys gather
 * every value (and {@code +=} appends to the file's list), other keys keep the last value.
 */
final class BakeOverride {

  /** The keys whose values are lists, so repeated {@code --set} values add up. */
  private static final List<String> LIST_KEYS = List.of(
      "output", "cache-to", "cache-from", "tags", "platform", "secrets", "ssh", "attest", "entitlements",
      "network", "annotations");

  String value = "";
  final List<String> values = new ArrayList<>();
  boolean append;

  /**
   * Parses {@code --set} values into target name, then key, then override; target patterns match the
   * targets of {@code config}.
   */
  static Map<String, Map<String, BakeOverride>> parse(List<String> settings, BakeConfig config, Map<String, String> environment)
      throws BakeFileException {
    Map<String, Map<String, BakeOverride>> overrides = new LinkedHashMap<>();
    for (String setting : settings) {
      int equals = setting.indexOf('=');
      String left = equals < 0 ? setting : setting.substring(0, equals);
      String right = equals < 0 ? null : setting.substring(equals + 1);
      boolean append = left.endsWith("+");
      String key = append ? left.substring(0, left.length() - 1) : left;
      String[] parts = key.split("\\.", 3);
      if (parts.length < 2) {
        throw new BakeFileException(null, "invalid --set \"" + setting + "\": use TARGET.KEY=VALUE, such as app.tags=app:1 or *.platform=linux/amd64");
      }
      String field = parts[1];
      if (right == null && !field.equals("args")) {
        throw new BakeFileException(null, "invalid --set \"" + setting + "\": the value is missing; use TARGET.KEY=VALUE");
      }

      List<String> names = expand(parts[0], config, setting);
      String overrideKey = key.substring(parts[0].length() + 1);
      for (String name : names) {
        BakeOverride override = overrides.computeIfAbsent(name, n -> new LinkedHashMap<>())
            .computeIfAbsent(overrideKey, k -> new BakeOverride());
        if (LIST_KEYS.contains(field)) {
          override.append = append;
          override.values.add(right);
          continue;
        }
        if (field.equals("secret")) {
          if (parts.length != 3 || append) {
            throw new BakeFileException(null, "invalid --set \"" + setting + "\": use TARGET.secret.ID=VALUE, without +=");
          }
        }
        if (field.equals("args") || field.equals("contexts")) {
          if (parts.length != 3) {
            throw new BakeFileException(null, "invalid --set \"" + setting + "\": " + field + " needs a name, such as TARGET." + field + ".NAME=VALUE");
          }
          if (right == null) {
            // A bare TARGET.args.NAME takes the value from the environment, and nothing when it is unset.
            String fromEnvironment = environment.get(parts[2]);
            if (fromEnvironment == null) {
              continue;
            }
            right = fromEnvironment;
          }
        }
        override.value = right;
      }
    }
    return overrides;
  }

  private static List<String> expand(String pattern, BakeConfig config, String setting) throws BakeFileException {
    if (config.targets.containsKey(pattern)) {
      return List.of(pattern);
    }
    List<String> names = new ArrayList<>();
    for (String name : config.targets.keySet()) {
      if (Glob.matches(pattern, name)) {
        names.add(name);
      }
    }
    if (names.isEmpty()) {
      throw new BakeFileException(null, "invalid --set \"" + setting + "\": no target matches \"" + pattern
          + "\"; the targets are " + String.join(", ", config.targets.keySet()));
    }
    return names;
  }
}
