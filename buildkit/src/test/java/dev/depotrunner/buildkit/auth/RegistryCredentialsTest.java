package dev.depotrunner.buildkit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

  @Test
  void toStringHidesSecrets() {
    var credentials = new RegistryCredentials("alice", "pass-value", "identity-value", "registry-value");

    String text = credentials.toString();

    assertTrue(text.contains("alice"), text);
    assertFalse(text.contains("pass-value"), text);
    assertFalse(text.contains("identity-value"), text);
    assertFalse(text.contains("registry-value"), text);
  }

  @Test
  void identityTokenIsSessionSecret() {
    var credentials = new RegistryCredentials("alice", "pass", "refresh", "");

    assertEquals("", credentials.sessionUsername());
    assertEquals("refresh", credentials.sessionSecret());
  }

  @Test
  void nullFieldsAreEmpty() {
    var credentials = new RegistryCredentials(null, null, null, null);

    assertTrue(credentials.isEmpty());
    assertEquals(RegistryCredentials.none(), credentials);
  }
}
