package dev.depotrunner.oidc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds job environments for tests and resolves tokens in them, keeping the lines logged. */
final class Jobs {

  private Jobs() {}

  /**
   * Returns an environment with HOME in a temporary directory, so the real user's depot login
   * config is never read, and DEPOT_API_URL on a loopback port, so no test can reach Depot.
   */
  static Map<String, String> environment(Path home) {
    Map<String, String> environment = new HashMap<>();
    environment.put("HOME", home.toString());
    environment.put("PATH", "/usr/bin:/bin");
    environment.put("DEPOT_API_URL", "http://127.0.0.1:9");
    return environment;
  }

  /** The outcome of one lookup and the lines it logged. */
  record Resolution(Optional<DepotToken> token, List<String> log) {}

  static Resolution resolve(Optional<String> flag, Map<String, String> environment)
      throws IdentityException {
    List<String> log = new ArrayList<>();
    Optional<DepotToken> token =
        DepotCredentials.resolve(new CredentialRequest(flag, environment, log::add));
    return new Resolution(token, log);
  }

  static Resolution resolve(Map<String, String> environment) throws IdentityException {
    return resolve(Optional.empty(), environment);
  }
}
