package dev.depotrunner.oidc;

import java.util.Map;
import java.util.Optional;

/** The job's environment variables, as given by the caller rather than read from this process. */
final class Environment {

  private final Map<String, String> variables;

  Environment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** Returns the variable's value, or empty when it is unset or set to the empty string. */
  Optional<String> get(String name) {
    String value = variables.get(name);
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(value);
  }

  boolean isSet(String name) {
    return get(name).isPresent();
  }

  Map<String, String> asMap() {
    return variables;
  }
}
