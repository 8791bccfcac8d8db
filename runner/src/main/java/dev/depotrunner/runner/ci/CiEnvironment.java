package dev.depotrunner.runner.ci;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CI system a run is in and what it says about the source: repository, commit, ref and the
 * run that built it.
 *
 * @param repository the repository's web address, such as {@code https://github.com/acme/app}, or
 *     empty
 * @param commit the full commit hash, or empty
 * @param ref the branch or tag, as the CI names it ({@code refs/heads/main} on GitHub, {@code main}
 *     elsewhere), or empty
 * @param runId the CI's id of the run (workflow run, pipeline, build), or empty
 * @param runUrl the web page of the run or job, or empty
 * @param workspace the folder the CI checked the repository out to, which annotation paths are
 *     relative to, or null when the CI names none
 * @param variables the environment the values came from; reporters read their files' paths from it
 */
public record CiEnvironment(
    CiSystem system,
    String repository,
    String commit,
    String ref,
    String runId,
    String runUrl,
    Path workspace,
    Map<String, String> variables) {

  /**
   * The variable that {@code --ci} sets; a CI template may set it instead of the flag. It holds one
   * of {@link CiSystem#flagNames()}.
   */
  public static final String OVERRIDE_VARIABLE = "DEPOT_RUNNER_CI";

  private static final Pattern SCP_LIKE_GIT_URL = Pattern.compile("^[\\w.-]+@([\\w.-]+):(.+)$");
  private static final Pattern SSH_GIT_URL = Pattern.compile("^ssh://(?:[^@/]+@)?([^/:]+)(?::\\d+)?/(.+)$");

  public CiEnvironment {
    variables = Map.copyOf(variables);
  }

  /**
   * Finds the CI from {@code environment}: {@link #OVERRIDE_VARIABLE} when set, else the first
   * {@link CiSystem} whose marking variable is set, else {@link CiSystem#NONE}.
   *
   * @throws IllegalArgumentException when {@link #OVERRIDE_VARIABLE} names no known CI
   */
  public static CiEnvironment detect(Map<String, String> environment) {
    CiSystem system = chooseSystem(environment);
    var values = new Values(environment);
    return switch (system) {
      case GITHUB_ACTIONS -> github(values, environment);
      case GITLAB_CI -> new CiEnvironment(system,
          values.get("CI_PROJECT_URL"),
          values.get("CI_COMMIT_SHA"),
          values.first("CI_COMMIT_TAG", "CI_COMMIT_REF_NAME"),
          values.get("CI_PIPELINE_ID"),
          values.first("CI_JOB_URL", "CI_PIPELINE_URL"),
          values.path("CI_PROJECT_DIR"),
          environment);
      case JENKINS -> new CiEnvironment(system,
          webAddress(values.get("GIT_URL")),
          values.get("GIT_COMMIT"),
          values.first("TAG_NAME", "BRANCH_NAME", "GIT_BRANCH"),
          values.first("BUILD_TAG", "BUILD_NUMBER"),
          values.get("BUILD_URL"),
          values.path("WORKSPACE"),
          environment);
      case CIRCLECI -> new CiEnvironment(system,
          webAddress(values.get("CIRCLE_REPOSITORY_URL")),
          values.get("CIRCLE_SHA1"),
          values.first("CIRCLE_TAG", "CIRCLE_BRANCH"),
          values.first("CIRCLE_WORKFLOW_ID", "CIRCLE_BUILD_NUM"),
          values.get("CIRCLE_BUILD_URL"),
          values.path("CIRCLE_WORKING_DIRECTORY"),
          environment);
      case BUILDKITE -> buildkite(values, environment);
      case GENERIC, NONE -> new CiEnvironment(system, "", "", "", "", "", null, environment);
    };
  }

  private static CiSystem chooseSystem(Map<String, String> environment) {
    String override = environment.getOrDefault(OVERRIDE_VARIABLE, "");
    if (!override.isBlank()) {
      return CiSystem.fromFlagName(override).orElseThrow(() -> new IllegalArgumentException(
          "invalid --ci value \"" + override + "\": use one of " + CiSystem.flagNames()));
    }
    for (CiSystem system : CiSystem.values()) {
      String value = environment.getOrDefault(system.variable(), "");
      if (system != CiSystem.NONE && !value.isEmpty() && !value.equals("false") && !value.equals("0")) {
        return system;
      }
    }
    return CiSystem.NONE;
  }

  private static CiEnvironment github(Values values, Map<String, String> environment) {
    String server = values.get("GITHUB_SERVER_URL").isEmpty() ? "https://github.com" : values.get("GITHUB_SERVER_URL");
    String repositoryName = values.get("GITHUB_REPOSITORY");
    String repository = repositoryName.isEmpty() ? "" : server + "/" + repositoryName;
    String runId = values.get("GITHUB_RUN_ID");
    String runUrl = "";
    if (!repository.isEmpty() && !runId.isEmpty()) {
      runUrl = repository + "/actions/runs/" + runId;
      if (!values.get("GITHUB_RUN_ATTEMPT").isEmpty()) {
        runUrl += "/attempts/" + values.get("GITHUB_RUN_ATTEMPT");
      }
    }
    return new CiEnvironment(CiSystem.GITHUB_ACTIONS, repository, values.get("GITHUB_SHA"), values.get("GITHUB_REF"),
        runId, runUrl, values.path("GITHUB_WORKSPACE"), environment);
  }

  private static CiEnvironment buildkite(Values values, Map<String, String> environment) {
    String runUrl = values.get("BUILDKITE_BUILD_URL");
    if (!runUrl.isEmpty() && !values.get("BUILDKITE_JOB_ID").isEmpty()) {
      runUrl += "#" + values.get("BUILDKITE_JOB_ID");
    }
    return new CiEnvironment(CiSystem.BUILDKITE,
        webAddress(values.get("BUILDKITE_REPO")),
        values.get("BUILDKITE_COMMIT"),
        values.first("BUILDKITE_TAG", "BUILDKITE_BRANCH"),
        values.first("BUILDKITE_BUILD_ID", "BUILDKITE_BUILD_NUMBER"),
        runUrl,
        values.path("BUILDKITE_BUILD_CHECKOUT_PATH"),
        environment);
  }

  /**
   * Turns a Git remote into the repository's web address: {@code git@host:org/app.git} and
   * {@code ssh://git@host/org/app.git} become {@code https://host/org/app}, and a trailing {@code .git}
   * is dropped. Other values are kept as they are.
   */
  static String webAddress(String remote) {
    String address = remote.strip();
    Matcher ssh = SSH_GIT_URL.matcher(address);
    Matcher scp = SCP_LIKE_GIT_URL.matcher(address);
    if (ssh.matches()) {
      address = "https://" + ssh.group(1) + "/" + ssh.group(2);
    } else if (!address.contains("://") && scp.matches()) {
      address = "https://" + scp.group(1) + "/" + scp.group(2);
    }
    if (address.endsWith(".git")) {
      address = address.substring(0, address.length() - ".git".length());
    }
    return address;
  }

  /**
   * Returns the standard OCI image labels for this source: {@code org.opencontainers.image.source} and
   * {@code org.opencontainers.image.url} (the repository) and {@code org.opencontainers.image.revision}
   * (the commit). Values the CI does not provide are left out.
   */
  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    if (!repository.isEmpty()) {
      labels.put("org.opencontainers.image.source", repository);
      labels.put("org.opencontainers.image.url", repository);
    }
    if (!commit.isEmpty()) {
      labels.put("org.opencontainers.image.revision", commit);
    }
    return labels;
  }

  /** Returns a variable's value, or empty when it is unset or blank. */
  Optional<String> variable(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** Lists the source fields only, because the environment may contain secrets. */
  @Override
  public String toString() {
    return "CiEnvironment[system=" + system + ", repository=" + repository + ", commit=" + commit + ", ref=" + ref
        + ", runId=" + runId + ", runUrl=" + runUrl + ", workspace=" + workspace + "]";
  }

  private record Values(Map<String, String> environment) {

    String get(String name) {
      return environment.getOrDefault(name, "").strip();
    }

    String first(String... names) {
      for (String name : names) {
        if (!get(name).isEmpty()) {
          return get(name);
        }
      }
      return "";
    }

    Path path(String name) {
      return get(name).isEmpty() ? null : Path.of(get(name));
    }
  }
}
