package dev.depotrunner.registry;

import java.util.Objects;

/**
 * A username and password (or token) for one registry. {@link #toString()} shows the username
 * only, so a credential can be logged or put in a message without the secret.
 */
public record RegistryCredential(String username, String password) {

  public RegistryCredential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "RegistryCredential[username=" + username + ", password=<redacted>]";
  }
}
