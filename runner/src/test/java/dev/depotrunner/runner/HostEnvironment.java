package dev.depotrunner.runner;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of this process's environment without the variables that change what {@code depot} does: CI
 * markers and job variables, Depot credentials and settings, and a configured builder. Integration tests
 * start from it, so they behave the same on a laptop and inside a CI job, and never reach a real CI agent
 * or Depot account.
 */
public final class HostEnvironment {

  private static final List<String> NAMES = List.of("CI", "BUILDKIT_HOST", "BUILD_URL", "BUILD_ID",
      "BUILD_NUMBER", "JOB_NAME", "NODE_NAME");

  private static final List<String> PREFIXES = List.of("GITHUB_", "ACTIONS_", "RUNNER_", "GITLAB_", "CI_",
      "JENKINS_", "CIRCLE", "BUILDKITE", "DEPOT_");

  private HostEnvironment() {}

  /** Returns a mutable copy of this process's environment with CI and Depot variables removed. */
  public static Map<String, String> withoutCi() {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.keySet().removeIf(HostEnvironment::changesBehaviour);
    return environment;
  }

  // The local environment's own DEPOT_RUNNER_ variables are kept because they locate the engine and registries.
  private static boolean changesBehaviour(String name) {
    if (name.startsWith("DEPOT_RUNNER_")) {
      return false;
    }
    return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
  }
}
