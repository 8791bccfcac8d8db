package dev.depotrunner.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Looks up registry credentials the way the Depot CLI does: for a push, {@code
 * DEPOT_PUSH_REGISTRY_USERNAME} with {@code DEPOT_PUSH_REGISTRY_PASSWORD}, then {@code
 * DEPOT_PUSH_REGISTRY_AUTH} (base64 of {@code user:password}); then, for push and pull, the
 * Docker {@code config.json} in {@code DOCKER_CONFIG} (default {@code $HOME/.docker}) with its
 * {@code auths}, {@code credHelpers} and {@code credsStore}. The environment is the map passed
 * in, not the process environment.
 */
public final class Credentials {

  private static final System.Logger LOG = System.getLogger(Credentials.class.getName());

  private final Map<String, String> environment;
  private final Map<String, RegistryCredential> explicit;

  private Credentials(Map<String, String> environment, Map<String, RegistryCredential> explicit) {
    this.environment = Map.copyOf(environment);
    this.explicit = Map.copyOf(explicit);
  }

  public static Credentials fromEnvironment(Map<String, String> environment) {
    return new Credentials(environment, Map.of());
  }

  /**
   * Returns a copy that uses {@code credential} for {@code registry}, before any other source, such as
   * the credentials Depot hands out for its own registry.
   */
  public Credentials with(String registry, RegistryCredential credential) {
    Map<String, RegistryCredential> more = new HashMap<>(explicit);
    more.put(registry, credential);
    return new Credentials(environment, more);
  }

  /** Finds the credential for pushing to {@code registry}. */
  public Optional<RegistryCredential> forPush(String registry) throws RegistryException {
    if (explicit.containsKey(registry)) {
      return Optional.of(explicit.get(registry));
    }
    Optional<RegistryCredential> depot = fromDepotVariables();
    if (depot.isPresent()) {
      return depot;
    }
    return fromDockerConfig(registry);
  }

  /** Finds the credential for pulling from {@code registry}. */
  public Optional<RegistryCredential> forPull(String registry) throws RegistryException {
    if (explicit.containsKey(registry)) {
      return Optional.of(explicit.get(registry));
    }
    return fromDockerConfig(registry);
  }

  private Optional<RegistryCredential> fromDepotVariables() throws RegistryException {
    String username = environment.getOrDefault("DEPOT_PUSH_REGISTRY_USERNAME", "");
    String password = environment.getOrDefault("DEPOT_PUSH_REGISTRY_PASSWORD", "");
    if (!username.isEmpty() && !password.isEmpty()) {
      return Optional.of(new RegistryCredential(username, password));
    }

    String auth = environment.getOrDefault("DEPOT_PUSH_REGISTRY_AUTH", "");
    if (auth.isEmpty()) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(
          "invalid DEPOT_PUSH_REGISTRY_AUTH: expected base64 of user:password", e);
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw new RegistryException(
          "invalid DEPOT_PUSH_REGISTRY_AUTH: expected base64 of user:password");
    }
    return Optional.of(
        new RegistryCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  private Optional<RegistryCredential> fromDockerConfig(String registry)
      throws RegistryException {
    Path configFile = dockerConfigDirectory().resolve("config.json");
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }

    // jib names the registry in its look-ups; the repository part is irrelevant here.
    ImageReference image = ImageReference.of(registry, "library/credential-lookup", null);
    Consumer<LogEvent> logger =
        event -> LOG.log(Level.DEBUG, "credential lookup for {0}: {1}", registry, event.getMessage());
    CredentialRetriever retriever =
        CredentialRetrieverFactory.forImage(image, logger, environment).dockerConfig(configFile);
    try {
      return retriever.retrieve().map(Credentials::fromJib);
    } catch (CredentialRetrievalException e) {
      throw new RegistryException(
          "failed to read the credentials for " + registry + " from " + configFile + ": "
              + e.getMessage(),
          e);
    }
  }

  private Path dockerConfigDirectory() {
    String dockerConfig = environment.getOrDefault("DOCKER_CONFIG", "");
    if (!dockerConfig.isEmpty()) {
      return Path.of(dockerConfig);
    }
    String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".docker");
  }

  private static RegistryCredential fromJib(Credential credential) {
    return new RegistryCredential(credential.getUsername(), credential.getPassword());
  }
}
