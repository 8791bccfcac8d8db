package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiEnvironmentTest {

  @Test
  void detectsGitHubActions() {
    var ci = CiEnvironment.detect(Map.of(
        "CI", "true",
        "GITHUB_ACTIONS", "true",
        "GITHUB_SERVER_URL", "https://github.example",
        "GITHUB_REPOSITORY", "acme/app",
        "GITHUB_SHA", "abc123",
        "GITHUB_REF", "refs/tags/v1",
        "GITHUB_RUN_ID", "77",
        "GITHUB_RUN_ATTEMPT", "2",
        "GITHUB_WORKSPACE", "/home/runner/work/app/app"));

    assertEquals(CiSystem.GITHUB_ACTIONS, ci.system());
    assertEquals("https://github.example/acme/app", ci.repository());
    assertEquals("abc123", ci.commit());
    assertEquals("refs/tags/v1", ci.ref());
    assertEquals("77", ci.runId());
    assertEquals("https://github.example/acme/app/actions/runs/77/attempts/2", ci.runUrl());
    assertEquals(Path.of("/home/runner/work/app/app"), ci.workspace());
  }

  @Test
  void gitHubServerDefaultsToGitHubCom() {
    var ci = CiEnvironment.detect(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "acme/app", "GITHUB_RUN_ID", "5"));

    assertEquals("https://github.com/acme/app", ci.repository());
    assertEquals("https://github.com/acme/app/actions/runs/5", ci.runUrl());
  }

  @Test
  void detectsGitLab() {
    var ci = CiEnvironment.detect(Map.of(
        "CI", "true",
        "GITLAB_CI", "true",
        "CI_PROJECT_URL", "https://gitlab.example/acme/app",
        "CI_COMMIT_SHA", "def456",
        "CI_COMMIT_REF_NAME", "main",
        "CI_PIPELINE_ID", "901",
        "CI_JOB_URL", "https://gitlab.example/acme/app/-/jobs/12",
        "CI_PROJECT_DIR", "/builds/acme/app"));

    assertEquals(CiSystem.GITLAB_CI, ci.system());
    assertEquals("https://gitlab.example/acme/app", ci.repository());
    assertEquals("def456", ci.commit());
    assertEquals("main", ci.ref());
    assertEquals("901", ci.runId());
    assertEquals("https://gitlab.example/acme/app/-/jobs/12", ci.runUrl());
    assertEquals(Path.of("/builds/acme/app"), ci.workspace());
  }

  @Test
  void gitLabTagWinsOverRefName() {
    var ci = CiEnvironment.detect(Map.of("GITLAB_CI", "true", "CI_COMMIT_TAG", "v2", "CI_COMMIT_REF_NAME", "v2-branch"));

    assertEquals("v2", ci.ref());
  }

  @Test
  void detectsJenkins() {
    var ci = CiEnvironment.detect(Map.of(
        "JENKINS_URL", "http://127.0.0.1:8080/",
        "GIT_URL", "git@github.com:acme/app.git",
        "GIT_COMMIT", "fff000",
        "BRANCH_NAME", "feature/x",
        "BUILD_TAG", "jenkins-app-14",
        "BUILD_URL", "http://127.0.0.1:8080/job/app/14/",
        "WORKSPACE", "/var/jenkins/workspace/app"));

    assertEquals(CiSystem.JENKINS, ci.system());
    assertEquals("https://github.com/acme/app", ci.repository());
    assertEquals("fff000", ci.commit());
    assertEquals("feature/x", ci.ref());
    assertEquals("jenkins-app-14", ci.runId());
    assertEquals("http://127.0.0.1:8080/job/app/14/", ci.runUrl());
    assertEquals(Path.of("/var/jenkins/workspace/app"), ci.workspace());
  }

  @Test
  void detectsCircleCi() {
    var ci = CiEnvironment.detect(Map.of(
        "CI", "true",
        "CIRCLECI", "true",
        "CIRCLE_REPOSITORY_URL", "git@github.com:acme/app.git",
        "CIRCLE_SHA1", "aaa111",
        "CIRCLE_BRANCH", "main",
        "CIRCLE_WORKFLOW_ID", "wf-1",
        "CIRCLE_BUILD_URL", "https://circleci.example/gh/acme/app/3",
        "CIRCLE_WORKING_DIRECTORY", "/home/circleci/project"));

    assertEquals(CiSystem.CIRCLECI, ci.system());
    assertEquals("https://github.com/acme/app", ci.repository());
    assertEquals("aaa111", ci.commit());
    assertEquals("main", ci.ref());
    assertEquals("wf-1", ci.runId());
    assertEquals("https://circleci.example/gh/acme/app/3", ci.runUrl());
  }

  @Test
  void detectsBuildkite() {
    var ci = CiEnvironment.detect(Map.of(
        "CI", "true",
        "BUILDKITE", "true",
        "BUILDKITE_REPO", "ssh://git@github.com/acme/app.git",
        "BUILDKITE_COMMIT", "bbb222",
        "BUILDKITE_BRANCH", "main",
        "BUILDKITE_BUILD_ID", "0190-uuid",
        "BUILDKITE_BUILD_URL", "https://buildkite.example/acme/app/builds/8",
        "BUILDKITE_JOB_ID", "job-9",
        "BUILDKITE_BUILD_CHECKOUT_PATH", "/buildkite/builds/app"));

    assertEquals(CiSystem.BUILDKITE, ci.system());
    assertEquals("https://github.com/acme/app", ci.repository());
    assertEquals("bbb222", ci.commit());
    assertEquals("main", ci.ref());
    assertEquals("0190-uuid", ci.runId());
    assertEquals("https://buildkite.example/acme/app/builds/8#job-9", ci.runUrl());
    assertEquals(Path.of("/buildkite/builds/app"), ci.workspace());
  }

  @Test
  void genericCiWhenOnlyCiIsSet() {
    var ci = CiEnvironment.detect(Map.of("CI", "1"));

    assertEquals(CiSystem.GENERIC, ci.system());
    assertEquals("", ci.repository());
    assertNull(ci.workspace());
  }

  @Test
  void noneOutsideCi() {
    assertEquals(CiSystem.NONE, CiEnvironment.detect(Map.of()).system());
    assertEquals(CiSystem.NONE, CiEnvironment.detect(Map.of("CI", "false")).system());
    assertEquals(CiSystem.NONE, CiEnvironment.detect(Map.of("GITHUB_ACTIONS", "")).system());
  }

  @Test
  void overrideWinsOverDetection() {
    var ci = CiEnvironment.detect(Map.of("GITHUB_ACTIONS", "true", CiEnvironment.OVERRIDE_VARIABLE, "GitLab"));
    assertEquals(CiSystem.GITLAB_CI, ci.system());

    var none = CiEnvironment.detect(Map.of("GITHUB_ACTIONS", "true", CiEnvironment.OVERRIDE_VARIABLE, "none"));
    assertEquals(CiSystem.NONE, none.system());
  }

  @Test
  void invalidOverrideNamesValuesAccepted() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> CiEnvironment.detect(Map.of(CiEnvironment.OVERRIDE_VARIABLE, "travis")));

    assertEquals("invalid --ci value \"travis\": use one of github, gitlab, jenkins, circleci, buildkite, generic, none",
        error.getMessage());
  }

  @Test
  void webAddressFromGitRemotes() {
    assertEquals("https://github.com/acme/app", CiEnvironment.webAddress("git@github.com:acme/app.git"));
    assertEquals("https://gitlab.example/group/sub/app", CiEnvironment.webAddress("ssh://git@gitlab.example:2222/group/sub/app.git"));
    assertEquals("https://github.com/acme/app", CiEnvironment.webAddress("https://github.com/acme/app.git"));
    assertEquals("https://github.com/acme/app", CiEnvironment.webAddress("https://github.com/acme/app"));
    assertEquals("", CiEnvironment.webAddress(""));
  }

  @Test
  void labelsUseOciKeys() {
    var ci = CiEnvironment.detect(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "acme/app", "GITHUB_SHA", "abc"));

    assertEquals(Map.of(
        "org.opencontainers.image.source", "https://github.com/acme/app",
        "org.opencontainers.image.url", "https://github.com/acme/app",
        "org.opencontainers.image.revision", "abc"), ci.labels());
    assertTrue(CiEnvironment.detect(Map.of("CI", "true")).labels().isEmpty());
  }

  @Test
  void toStringLeavesOutEnvironment() {
    var ci = CiEnvironment.detect(Map.of("GITHUB_ACTIONS", "true", "DEPOT_TOKEN", "secret-value"));

    assertFalse(ci.toString().contains("secret-value"), ci.toString());
  }
}
