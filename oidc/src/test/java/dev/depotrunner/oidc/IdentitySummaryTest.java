package dev.depotrunner.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IdentitySummaryTest {

  @Test
  void describe_namesAllThreeClaims() {
    IdentitySummary identity = new IdentitySummary("https://token.actions.githubusercontent.com",
        "repo:acme/app:ref:refs/heads/main", "acme/app");

    assertEquals("OIDC identity: issuer https://token.actions.githubusercontent.com, subject"
        + " repo:acme/app:ref:refs/heads/main, repository acme/app", identity.describe());
  }

  @Test
  void describe_withoutRepository_saysSo() {
    IdentitySummary identity = new IdentitySummary("https://jenkins.example.test", "job/app", "");

    assertEquals("OIDC identity: issuer https://jenkins.example.test, subject job/app, no"
        + " repository claim", identity.describe());
  }
}
