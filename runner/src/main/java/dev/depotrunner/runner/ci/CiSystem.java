package dev.depotrunner.runner.ci;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A CI system the runner reports to, in the order {@link CiEnvironment#detect} checks them. */
public enum CiSystem {
  GITHUB_ACTIONS("github", "GITHUB_ACTIONS", "GitHub Actions"),
  GITLAB_CI("gitlab", "GITLAB_CI", "GitLab CI"),
  JENKINS("jenkins", "JENKINS_URL", "Jenkins"),
  CIRCLECI("circleci", "CIRCLECI", "CircleCI"),
  BUILDKITE("buildkite", "BUILDKITE", "Buildkite"),
  /** A CI that sets only {@code CI}: plain output and a summary at the end of the log. */
  GENERIC("generic", "CI", "CI"),
  /** Not in CI, or reporting turned off with {@code --ci=none}. */
  NONE("none", "", "none");

  private final String flagName;
  private final String variable;
  private final String title;

  CiSystem(String flagName, String variable, String title) {
    this.flagName = flagName;
    this.variable = variable;
    this.title = title;
  }

  /** Returns the name {@code --ci} accepts, such as {@code github}. */
  public String flagName() {
    return flagName;
  }

  /** Returns the variable whose presence marks this CI, or empty for {@link #NONE}. */
  String variable() {
    return variable;
  }

  /** Returns the product name, for summaries. */
  public String title() {
    return title;
  }

  /** Returns the system named by a {@code --ci} value, ignoring case. */
  public static Optional<CiSystem> fromFlagName(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(system -> system.flagName.equals(lower)).findFirst();
  }

  /** Returns the accepted {@code --ci} values, comma-separated, for help and errors. */
  public static String flagNames() {
    return Arrays.stream(values()).map(CiSystem::flagName).collect(Collectors.joining(", "));
  }
}
