package dev.depotrunner.runner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.oidc.DepotLoginConfig;
import dev.depotrunner.oidc.IdentityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Depot project and API token of a command the way the Depot CLI does: the project
 * from {@code --project}, then {@code DEPOT_PROJECT_ID}, then the {@code id} in the nearest
 * {@code depot.json} in the folder or its parents; the token from {@code --token}, then {@code
 * DEPOT_TOKEN}.
 */
final class ProjectResolution {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ProjectResolution() {}

  static Optional<String> projectId(String flag, Map<String, String> environment, Path folder)
      throws IOException {
    if (flag != null && !flag.isBlank()) {
      return Optional.of(flag);
    }
    String variable = environment.getOrDefault("DEPOT_PROJECT_ID", "");
    if (!variable.isBlank()) {
      return Optional.of(variable);
    }
    for (Path current = folder.toAbsolutePath(); current != null; current = current.getParent()) {
      Path config = current.resolve("depot.json");
      if (Files.isRegularFile(config)) {
        String id = JSON.readTree(config.toFile()).path("id").asText("");
        return id.isBlank() ? Optional.empty() : Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the token from {@code --token} or {@code DEPOT_TOKEN}, else the one {@code depot
   * login} saved, as the Depot CLI's account commands find it.
   */
  static Optional<String> tokenOrLogin(String flag, Map<String, String> environment) throws IdentityException {
    Optional<String> token = token(flag, environment);
    if (token.isPresent()) {
      return token;
    }
    return DepotLoginConfig.readApiToken(DepotLoginConfig.location(environment));
  }

  /**
   * Returns the current organization: {@code DEPOT_ORG_ID}, else the one {@code depot org switch}
   * saved, as the Depot CLI's config lookup reads it.
   */
  static Optional<String> organization(Map<String, String> environment) throws IdentityException {
    String variable = environment.getOrDefault("DEPOT_ORG_ID", "");
    if (!variable.isBlank()) {
      return Optional.of(variable);
    }
    return DepotLoginConfig.readOrganization(DepotLoginConfig.location(environment));
  }

  static Optional<String> token(String flag, Map<String, String> environment) {
    if (flag != null && !flag.isBlank()) {
      return Optional.of(flag);
    }
    String variable = environment.getOrDefault("DEPOT_TOKEN", "");
    return variable.isBlank() ? Optional.empty() : Optional.of(variable);
  }
}
