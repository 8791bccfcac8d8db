package dev.depotrunner.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubActionsProviderTest {

  private static final String REQUEST_TOKEN = "request-token-5f2a";
  private static final String DEPOT_TOKEN = "depot-exchanged-91c4";
  private static final String ID_TOKEN_PATH = "/_apis/idtoken";

  @TempDir
  Path home;

  private LoopbackServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new LoopbackServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private Map<String, String> gitHubJob() {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("GITHUB_ACTIONS", "true");
    environment.put("ACTIONS_ID_TOKEN_REQUEST_URL", server.url(ID_TOKEN_PATH) + "?api-version=2.0");
    environment.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN);
    environment.put("DEPOT_API_URL", server.url(""));
    return environment;
  }

  private void issue(String idToken) {
    server.answer(ID_TOKEN_PATH, 200, "{\"value\":\"" + idToken + "\"}");
  }

  private static void assertHidesSecrets(IdentityException error, String... secrets) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      for (String secret : secrets) {
        assertFalse(String.valueOf(cause.getMessage()).contains(secret), cause.toString());
      }
    }
    assertFalse(error.getMessage().contains("\n"), "one line: " + error.getMessage());
  }

  @Test
  void exchange_returnsDepotToken() throws Exception {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 200, "{\"ok\":true,\"token\":\"" + DEPOT_TOKEN + "\"}");

    DepotToken token = Jobs.resolve(gitHubJob()).token().orElseThrow();

    assertEquals(DEPOT_TOKEN, token.value());
    assertEquals("GitHub Actions OIDC", token.source());
    assertEquals(new IdentitySummary("https://token.actions.githubusercontent.com",
        "repo:acme/app:ref:refs/heads/main", "acme/app"), token.identity().orElseThrow());
  }

  @Test
  void exchange_sendsExpectedRequests() throws Exception {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 200, "{\"ok\":true,\"token\":\"" + DEPOT_TOKEN + "\"}");

    Jobs.resolve(gitHubJob());

    List<LoopbackServer.Recorded> requests = server.requests();
    assertEquals(2, requests.size());
    LoopbackServer.Recorded tokenRequest = requests.get(0);
    assertEquals("GET", tokenRequest.method());
    assertEquals("api-version=2.0&audience=https%3A%2F%2Fdepot.dev", tokenRequest.query());
    assertEquals("Bearer " + REQUEST_TOKEN, tokenRequest.authorization());
    LoopbackServer.Recorded exchange = requests.get(1);
    assertEquals("POST", exchange.method());
    assertEquals(DepotTokenExchange.PATH, exchange.path());
    assertEquals("{\"token\":\"" + idToken + "\"}", exchange.body());
  }

  @Test
  void withAudience_replacesExistingAudience() throws Exception {
    assertEquals("https://example.test/t?api-version=2.0&audience=https%3A%2F%2Fdepot.dev",
        GitHubActionsProvider.withAudience("https://example.test/t?audience=other&api-version=2.0")
            .toString());
    assertEquals("https://example.test/t?audience=https%3A%2F%2Fdepot.dev",
        GitHubActionsProvider.withAudience("https://example.test/t").toString());
  }

  @Test
  void expiredToken_failsEarly() {
    Instant past = Instant.now().minus(Duration.ofMinutes(10));
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app")
        .issueTime(Date.from(past.minus(Duration.ofMinutes(5))))
        .expirationTime(Date.from(past)).build());
    issue(idToken);

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("expired at"), error.getMessage());
    assertTrue(error.getMessage().contains("repository acme/app"), error.getMessage());
    assertEquals(1, server.requests().size(), "no exchange after an expired token");
    assertHidesSecrets(error, idToken, REQUEST_TOKEN);
  }

  @Test
  void wrongAudience_failsEarly() {
    String idToken = TestTokens.sign(
        TestTokens.gitHubClaims("acme/app").audience("https://github.com/acme").build());
    issue(idToken);

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("has audience [https://github.com/acme], expected"
        + " https://depot.dev"), error.getMessage());
    assertHidesSecrets(error, idToken, REQUEST_TOKEN);
  }

  @Test
  void missingPermission_namesIdTokenWrite() throws Exception {
    Map<String, String> environment = gitHubJob();
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_URL");
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_TOKEN");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().contains("permissions: id-token: write"), error.getMessage());
    assertTrue(error.getMessage().contains("ACTIONS_ID_TOKEN_REQUEST_URL is not set"),
        error.getMessage());
  }

  @Test
  void missingPermission_fallsBackToJobToken() throws Exception {
    Map<String, String> environment = gitHubJob();
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_URL");
    environment.put("DEPOT_JIT_TOKEN", "jit-token");

    DepotToken token = Jobs.resolve(environment).token().orElseThrow();

    assertEquals("DEPOT_JIT_TOKEN", token.source());
  }

  @Test
  void forkPullRequest_saysForksGetNoIdentity() throws Exception {
    Path event = home.resolve("event.json");
    Files.writeString(event, """
        {"pull_request": {"head": {"repo": {"full_name": "someone/app"}},
                          "base": {"repo": {"full_name": "acme/app"}}},
         "repository": {"full_name": "acme/app", "private": false}}
        """);
    Map<String, String> environment = gitHubJob();
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_URL");
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
    environment.put("GITHUB_EVENT_NAME", "pull_request");
    environment.put("GITHUB_EVENT_PATH", event.toString());

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().contains("forks get no identity"), error.getMessage());
    assertTrue(error.getMessage().contains("fork someone/app into acme/app"), error.getMessage());
  }

  @Test
  void sameRepositoryPullRequest_namesIdTokenWrite() throws Exception {
    Path event = home.resolve("event.json");
    Files.writeString(event, """
        {"pull_request": {"head": {"repo": {"full_name": "acme/app"}},
                          "base": {"repo": {"full_name": "acme/app"}}}}
        """);
    Map<String, String> environment = gitHubJob();
    environment.remove("ACTIONS_ID_TOKEN_REQUEST_URL");
    environment.put("GITHUB_EVENT_NAME", "pull_request");
    environment.put("GITHUB_EVENT_PATH", event.toString());

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().contains("permissions: id-token: write"), error.getMessage());
  }

  @Test
  void exchangeUnauthorized_namesTrustRelationship() {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 401,
        "{\"ok\":false,\"error\":\"no trust relationship\"}");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("failed with HTTP 401"), error.getMessage());
    assertTrue(error.getMessage().contains("no trust relationship"), error.getMessage());
    assertTrue(error.getMessage().contains("trust relationship for acme/app"), error.getMessage());
    assertHidesSecrets(error, idToken, REQUEST_TOKEN);
  }

  @Test
  void exchangeEchoingToken_hidesIt() {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 400, "invalid token " + idToken);

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("invalid token (token)"), error.getMessage());
    assertHidesSecrets(error, idToken, REQUEST_TOKEN);
  }

  @Test
  void exchangeBadJson_fails() {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 200, "{\"ok\":true,\"token\":\"" + DEPOT_TOKEN);

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("returned invalid JSON"), error.getMessage());
    assertHidesSecrets(error, idToken, REQUEST_TOKEN, DEPOT_TOKEN);
  }

  @Test
  void exchangeNotOk_fails() {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 200, "{\"ok\":false,\"error\":\"unknown repository\"}");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("declined the GitHub Actions OIDC token (unknown"
        + " repository)"), error.getMessage());
    assertHidesSecrets(error, idToken, REQUEST_TOKEN);
  }

  @Test
  void exchangeOkWithoutToken_fails() {
    issue(TestTokens.sign(TestTokens.gitHubClaims("acme/app").build()));
    server.answer(DepotTokenExchange.PATH, 200, "{\"ok\":true}");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("returned ok but no token"), error.getMessage());
  }

  @Test
  void idTokenRequestForbidden_fails() {
    server.answer(ID_TOKEN_PATH, 403, "{\"message\":\"forbidden\"}");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("failed with HTTP 403"), error.getMessage());
    assertHidesSecrets(error, REQUEST_TOKEN);
  }

  @Test
  void idToken_isPassedToSecretsBeforeExchange() throws Exception {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 500, "{}");
    List<String> secrets = new ArrayList<>();

    assertThrows(IdentityException.class, () -> DepotCredentials.resolve(
        new CredentialRequest(Optional.empty(), gitHubJob(), line -> {}, secrets::add)));

    assertEquals(List.of(idToken), secrets);
  }

  @Test
  void idTokenResponseWithoutValue_fails() {
    server.answer(ID_TOKEN_PATH, 200, "{\"value\":\"\"}");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(gitHubJob()));

    assertTrue(error.getMessage().contains("returned no token"), error.getMessage());
  }

  @Test
  void slowExchange_timesOut() {
    issue(TestTokens.sign(TestTokens.gitHubClaims("acme/app").build()));
    server.answerAfter(DepotTokenExchange.PATH, 3000, 200, "{\"ok\":true,\"token\":\"late\"}");
    CredentialResolver resolver = DepotCredentials.standardResolver(HttpClient.newHttpClient(),
        Duration.ofMillis(500), Clock.systemUTC(), "Linux");
    List<String> log = new ArrayList<>();

    IdentityException error = assertThrows(IdentityException.class, () -> resolver.resolve(
        new CredentialRequest(Optional.empty(), gitHubJob(), log::add)));

    assertTrue(error.getMessage().contains("timed out"), error.getMessage());
  }

  @Test
  void invalidApiUrl_fails() {
    Map<String, String> environment = gitHubJob();
    environment.put("DEPOT_API_URL", "api.depot.test");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().startsWith("invalid DEPOT_API_URL \"api.depot.test\""),
        error.getMessage());
    assertEquals(List.of(), server.requests());
  }

  @Test
  void debugOidc_explainsExchangeWithoutTokens() throws Exception {
    String idToken = TestTokens.sign(TestTokens.gitHubClaims("acme/app").build());
    issue(idToken);
    server.answer(DepotTokenExchange.PATH, 200, "{\"ok\":true,\"token\":\"" + DEPOT_TOKEN + "\"}");
    Map<String, String> environment = gitHubJob();
    environment.put("DEPOT_DEBUG_OIDC", "1");

    Jobs.Resolution resolution = Jobs.resolve(environment);

    assertEquals(1, resolution.log().size(), resolution.log().toString());
    String line = resolution.log().get(0);
    assertTrue(line.startsWith("OIDC provider GitHub Actions: exchanged the job's ID token at "
        + server.url("")), line);
    assertTrue(line.endsWith("repository acme/app"), line);
    for (String secret : List.of(idToken, DEPOT_TOKEN, REQUEST_TOKEN)) {
      assertFalse(line.contains(secret), line);
    }
  }

  @Test
  void debugOidc_explainsFailure() {
    server.answer(ID_TOKEN_PATH, 500, "");
    Map<String, String> environment = gitHubJob();
    environment.put("DEPOT_DEBUG_OIDC", "1");
    List<String> log = new ArrayList<>();

    assertThrows(IdentityException.class, () -> DepotCredentials.resolve(
        new CredentialRequest(Optional.empty(), environment, log::add)));

    assertEquals(1, log.size(), log.toString());
    assertTrue(log.get(0).startsWith("OIDC provider GitHub Actions: failed: the GitHub Actions ID"
        + " token request to 127.0.0.1 failed with HTTP 500"), log.get(0));
  }

  @Test
  void unreachableExchange_namesHost() {
    issue(TestTokens.sign(TestTokens.gitHubClaims("acme/app").build()));
    Map<String, String> environment = gitHubJob();
    environment.put("DEPOT_API_URL", "http://127.0.0.1:9");

    IdentityException error =
        assertThrows(IdentityException.class, () -> Jobs.resolve(environment));

    assertTrue(error.getMessage().startsWith("the Depot OIDC token exchange at"
        + " http://127.0.0.1:9/auth/oidc/github-actions failed: "), error.getMessage());
    assertTrue(error.getMessage().endsWith("; check the network path to 127.0.0.1"),
        error.getMessage());
  }
}
