package dev.depotrunner.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiTokenProvidersTest {

  @TempDir
  Path home;

  private static String gitLabToken() {
    return TestTokens.sign(TestTokens.claims("https://gitlab.example.test",
        "project_path:acme/app:ref_type:branch:ref:main")
        .claim("project_path", "acme/app").build());
  }

  private static String buildkiteToken() {
    return TestTokens.sign(TestTokens.claims("https://agent.buildkite.com",
        "organization:acme:pipeline:app:ref:refs/heads/main:commit:abc:step:build")
        .claim("organization_slug", "acme")
        .claim("pipeline_slug", "app").build());
  }

  private static void assertHidesToken(IdentityException error, String token) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      assertFalse(String.valueOf(cause.getMessage()).contains(token), cause.toString());
    }
  }

  @Test
  void gitLab_usesTokenDirectly() throws Exception {
    String token = gitLabToken();
    Map<String, String> environment = Jobs.environment(home);
    environment.put("GITLAB_CI", "true");
    environment.put("DEPOT_OIDC_TOKEN", token);

    DepotToken found = Jobs.resolve(environment).token().orElseThrow();

    assertEquals(token, found.value());
    assertEquals("GitLab CI OIDC", found.source());
    assertEquals("acme/app", found.identity().orElseThrow().repository());
  }

  @Test
  void gitLabWrongAudience_namesIdTokensSetting() {
    String token = TestTokens.sign(
        TestTokens.claims("https://gitlab.example.test", "project_path:x")
            .audience("https://gitlab.example.test").build());
    Map<String, String> environment = Jobs.environment(home);
    environment.put("GITLAB_CI", "true");
    environment.put("DEPOT_OIDC_TOKEN", token);

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().contains("set aud: https://depot.dev on the job's id_tokens"),
        error.getMessage());
    assertHidesToken(error, token);
  }

  @Test
  void gitLabExpired_failsEarly() {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    String token = TestTokens.sign(TestTokens.claims("https://gitlab.example.test", "p")
        .issueTime(Date.from(past.minus(Duration.ofHours(1))))
        .expirationTime(Date.from(past)).build());
    Map<String, String> environment = Jobs.environment(home);
    environment.put("GITLAB_CI", "true");
    environment.put("DEPOT_OIDC_TOKEN", token);

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().startsWith("the OIDC token from DEPOT_OIDC_TOKEN expired at "),
        error.getMessage());
    assertHidesToken(error, token);
  }

  @Test
  void malformedToken_isRejectedWithoutQuotingIt() {
    String token = "not-a-jwt-8d1f0a";
    Map<String, String> environment = Jobs.environment(home);
    environment.put("GITLAB_CI", "true");
    environment.put("DEPOT_OIDC_TOKEN", token);

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().contains("is not a valid JWT"), error.getMessage());
    assertHidesToken(error, token);
  }

  @Test
  void oidcTokenWithoutCi_isIgnored() throws Exception {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("DEPOT_OIDC_TOKEN", gitLabToken());

    assertTrue(Jobs.resolve(environment).token().isEmpty());
  }

  @Test
  void jenkins_usesBoundToken() throws Exception {
    String token = TestTokens.sign(TestTokens.claims(
        "https://jenkins.example.test/oidc", "https://jenkins.example.test/job/app/").build());
    Map<String, String> environment = Jobs.environment(home);
    environment.put("JENKINS_URL", "https://jenkins.example.test/");
    environment.put("DEPOT_OIDC_TOKEN", token);

    DepotToken found = Jobs.resolve(environment).token().orElseThrow();

    assertEquals("Jenkins OIDC", found.source());
    assertEquals(token, found.value());
    assertEquals("", found.identity().orElseThrow().repository());
  }

  @Test
  void circleCi_acceptsOrganizationAudience() throws Exception {
    String token = TestTokens.sign(
        TestTokens.claims("https://oidc.circleci.com/org/org-1", "org/org-1/project/p-1/user/u-1")
            .audience("org-1")
            .claim("oidc.circleci.com/vcs-origin", "github.com/acme/app").build());
    Map<String, String> environment = Jobs.environment(home);
    environment.put("CIRCLE_OIDC_TOKEN_V2", token);

    DepotToken found = Jobs.resolve(environment).token().orElseThrow();

    assertEquals("CircleCI OIDC", found.source());
    assertEquals("github.com/acme/app", found.identity().orElseThrow().repository());
  }

  private Map<String, String> buildkiteJob(Path agentDirectory) {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("BUILDKITE", "true");
    environment.put("BUILDKITE_AGENT_ACCESS_TOKEN", "agent-access-3e7b");
    environment.put("BUILDKITE_JOB_ID", "job-42");
    environment.put("PATH", agentDirectory + ":/usr/bin:/bin");
    return environment;
  }

  private Path fakeAgent(String script) throws IOException {
    Path directory = Files.createDirectories(home.resolve("agent-bin"));
    Path agent = directory.resolve("buildkite-agent");
    Files.writeString(agent, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    return directory;
  }

  @Test
  void buildkite_requestsTokenFromAgent() throws Exception {
    String token = buildkiteToken();
    Path arguments = home.resolve("arguments");
    Path directory = fakeAgent("echo \"$@ job=$BUILDKITE_JOB_ID\" > '" + arguments + "'\n"
        + "echo '" + token + "'\n");

    DepotToken found = Jobs.resolve(buildkiteJob(directory)).token().orElseThrow();

    assertEquals(token, found.value());
    assertEquals("Buildkite OIDC", found.source());
    assertEquals("acme/app", found.identity().orElseThrow().repository());
    assertEquals("oidc request-token --audience https://depot.dev job=job-42",
        Files.readString(arguments).strip());
  }

  @Test
  void buildkiteWithoutAgent_isSkipped() throws Exception {
    Map<String, String> environment = buildkiteJob(home.resolve("empty"));
    environment.put("DEPOT_DEBUG_OIDC", "1");

    Jobs.Resolution resolution = Jobs.resolve(environment);

    assertTrue(resolution.token().isEmpty());
    assertTrue(resolution.log().contains(
        "OIDC provider Buildkite: buildkite-agent is not on the job's PATH"), resolution.log()
        .toString());
  }

  @Test
  void buildkiteAgentFailure_showsItsError() throws Exception {
    Path directory = fakeAgent("echo 'fatal: OIDC tokens are disabled for this pipeline' >&2\n"
        + "exit 3\n");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(buildkiteJob(directory)));

    assertEquals("buildkite-agent oidc request-token failed with exit code 3: fatal: OIDC tokens"
        + " are disabled for this pipeline; check that the pipeline may request OIDC tokens",
        error.getMessage());
  }

  @Test
  void buildkiteAgentHang_timesOut() throws Exception {
    Path directory = fakeAgent("exec sleep 30\n");
    CredentialResolver resolver = DepotCredentials.standardResolver(HttpClient.newHttpClient(),
        Duration.ofMillis(500), Clock.systemUTC(), "Linux");
    Map<String, String> environment = buildkiteJob(directory);

    long start = System.nanoTime();
    IdentityException error = assertThrows(IdentityException.class, () -> resolver.resolve(
        new CredentialRequest(Optional.empty(), environment, line -> {})));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertEquals("buildkite-agent oidc request-token timed out after 500ms; check that the"
        + " Buildkite agent can reach the Buildkite API", error.getMessage());
    assertTrue(elapsed.compareTo(Duration.ofSeconds(10)) < 0, "took " + elapsed);
  }

  @Test
  void buildkiteWrongAudience_failsEarly() throws Exception {
    String token = TestTokens.sign(TestTokens.claims("https://agent.buildkite.com", "p")
        .audience("https://buildkite.com").build());
    Path directory = fakeAgent("echo '" + token + "'\n");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(buildkiteJob(directory)));

    assertTrue(error.getMessage().contains("expected https://depot.dev"), error.getMessage());
    assertHidesToken(error, token);
  }

  @Test
  void toStrings_hideTokens() throws Exception {
    String token = gitLabToken();
    Map<String, String> environment = Jobs.environment(home);
    environment.put("GITLAB_CI", "true");
    environment.put("DEPOT_OIDC_TOKEN", token);
    CredentialRequest request =
        new CredentialRequest(Optional.of("flag-secret"), environment, line -> {});

    DepotToken found = DepotCredentials.resolve(
        new CredentialRequest(Optional.empty(), environment, line -> {})).orElseThrow();

    for (String text : List.of(found.toString(), request.toString())) {
      assertFalse(text.contains(token), text);
      assertFalse(text.contains("flag-secret"), text);
    }
    assertTrue(found.toString().contains("GitLab CI OIDC"), found.toString());
    assertTrue(found.toString().contains("repository acme/app"), found.toString());
  }
}
