package dev.depotrunner.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialOrderTest {

  private static final String CIRCLE_TOKEN = TestTokens.sign(
      TestTokens.claims("https://oidc.circleci.com/org/org-1", "org/org-1/project/p-1/user/u-1")
          .audience("org-1").build());

  @TempDir
  Path home;

  /** Every source at once; each case removes the sources above the one it expects. */
  private Map<String, String> allSources() throws IOException {
    writeConfig("api_token: saved-token\n");
    Map<String, String> environment = Jobs.environment(home);
    environment.put("DEPOT_TOKEN", "env-token");
    environment.put("DEPOT_API_TOKEN", "api-env-token");
    environment.put("CIRCLE_OIDC_TOKEN_V2", CIRCLE_TOKEN);
    environment.put("DEPOT_JIT_TOKEN", "jit-token");
    environment.put("DEPOT_CACHE_TOKEN", "cache-token");
    return environment;
  }

  private void writeConfig(String content) throws IOException {
    Path config = home.resolve(".config/depot/depot.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, content);
  }

  @Test
  void order_followsDepotCli() throws Exception {
    record Case(List<String> removed, String value, String source) {}
    List<Case> cases = List.of(
        new Case(List.of(), "env-token", "DEPOT_TOKEN"),
        new Case(List.of("DEPOT_TOKEN"), "api-env-token", "DEPOT_API_TOKEN"),
        new Case(List.of("DEPOT_TOKEN", "DEPOT_API_TOKEN"), "saved-token", "depot login"),
        new Case(List.of("DEPOT_TOKEN", "DEPOT_API_TOKEN", "config"), CIRCLE_TOKEN,
            "CircleCI OIDC"),
        new Case(List.of("DEPOT_TOKEN", "DEPOT_API_TOKEN", "config", "CIRCLE_OIDC_TOKEN_V2"),
            "jit-token", "DEPOT_JIT_TOKEN"),
        new Case(List.of("DEPOT_TOKEN", "DEPOT_API_TOKEN", "config", "CIRCLE_OIDC_TOKEN_V2",
            "DEPOT_JIT_TOKEN"), "cache-token", "DEPOT_CACHE_TOKEN"));

    for (Case test : cases) {
      Map<String, String> environment = allSources();
      for (String removed : test.removed()) {
        if (removed.equals("config")) {
          Files.delete(home.resolve(".config/depot/depot.yaml"));
        } else {
          environment.remove(removed);
        }
      }

      DepotToken token = Jobs.resolve(environment).token().orElseThrow();

      assertEquals(test.source(), token.source(), "source without " + test.removed());
      assertEquals(test.value(), token.value(), "value without " + test.removed());
    }
  }

  @Test
  void flag_beatsEverySource() throws Exception {
    DepotToken token = Jobs.resolve(Optional.of("flag-token"), allSources()).token().orElseThrow();

    assertEquals("flag", token.source());
    assertEquals("flag-token", token.value());
    assertTrue(token.identity().isEmpty());
  }

  @Test
  void emptyValues_countAsUnset() throws Exception {
    writeConfig("api_token: ''\n");
    Map<String, String> environment = Jobs.environment(home);
    environment.put("DEPOT_TOKEN", "");
    environment.put("DEPOT_JIT_TOKEN", "");
    environment.put("DEPOT_CACHE_TOKEN", "cache-token");

    DepotToken token = Jobs.resolve(Optional.of(""), environment).token().orElseThrow();

    assertEquals("DEPOT_CACHE_TOKEN", token.source());
  }

  @Test
  void noSource_returnsEmpty() throws Exception {
    assertTrue(Jobs.resolve(Jobs.environment(home)).token().isEmpty());
  }

  @Test
  void oidcToken_carriesIdentity() throws Exception {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("CIRCLE_OIDC_TOKEN_V2", CIRCLE_TOKEN);

    DepotToken token = Jobs.resolve(environment).token().orElseThrow();

    IdentitySummary identity = token.identity().orElseThrow();
    assertEquals("https://oidc.circleci.com/org/org-1", identity.issuer());
    assertEquals("org/org-1/project/p-1/user/u-1", identity.subject());
  }

  @Test
  void debugOidc_logsOneLinePerProvider() throws Exception {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("DEPOT_DEBUG_OIDC", "1");
    environment.put("GITLAB_CI", "true");

    List<String> log = Jobs.resolve(environment).log();

    assertEquals(List.of(
        "OIDC provider GitHub Actions: GITHUB_ACTIONS is not true",
        "OIDC provider GitLab CI: DEPOT_OIDC_TOKEN is not set; declare id_tokens: DEPOT_OIDC_TOKEN:"
            + " aud: https://depot.dev in the job",
        "OIDC provider CircleCI: CIRCLE_OIDC_TOKEN_V2 is not set; CircleCI issued no OIDC token to"
            + " this job",
        "OIDC provider Buildkite: BUILDKITE_AGENT_ACCESS_TOKEN is not set",
        "OIDC provider Jenkins: JENKINS_URL is not set"), log);
  }

  @Test
  void debugOidc_stopsAtFoundIdentity() throws Exception {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("DEPOT_DEBUG_OIDC", "true");
    environment.put("CIRCLE_OIDC_TOKEN_V2", CIRCLE_TOKEN);

    List<String> log = Jobs.resolve(environment).log();

    assertEquals(3, log.size(), log.toString());
    assertTrue(log.get(2).startsWith("OIDC provider CircleCI: using CIRCLE_OIDC_TOKEN_V2, OIDC"
        + " identity: issuer https://oidc.circleci.com/org/org-1"), log.get(2));
    for (String line : log) {
      assertFalse(line.contains(CIRCLE_TOKEN), line);
    }
  }

  @Test
  void debugOidc_namesSavedTokenSource() throws Exception {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("DEPOT_DEBUG_OIDC", "1");
    environment.put("DEPOT_TOKEN", "env-token");

    List<String> log = Jobs.resolve(environment).log();

    assertEquals(List.of("OIDC not tried: using the Depot token from DEPOT_TOKEN"), log);
  }

  @Test
  void withoutDebugOidc_logsNothing() throws Exception {
    Map<String, String> environment = Jobs.environment(home);
    environment.put("CIRCLE_OIDC_TOKEN_V2", CIRCLE_TOKEN);

    assertEquals(List.of(), Jobs.resolve(environment).log());
  }
}
