package dev.depotrunner.buildkit.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an {@link AuthProvider} finds registry credentials.
 *
 * @param dockerConfig the docker CLI config, consulted for every host without an extra entry
 * @param extraCredentials credentials by registry host that take precedence over the docker
 *     config, such as push credentials the runner received from its environment; keys are
 *     normalized like docker config keys, so {@code docker.io} and
 *     {@code https://index.docker.io/v1/} both name Docker Hub
 * @param clientTokens whether the builder may verify that this client has a registry's
 *     credentials and reuse its tokens (GetTokenAuthority and VerifyTokenAuthority); buildx turns
 *     this off with {@code BUILDKIT_NO_CLIENT_TOKEN=1}
 */
public record AuthProviderOptions(
    DockerConfig dockerConfig,
    Map<String, RegistryCredentials> extraCredentials,
    boolean clientTokens) {

  public AuthProviderOptions {
    Objects.requireNonNull(dockerConfig, "dockerConfig");
    Map<String, RegistryCredentials> normalized = new LinkedHashMap<>();
    extraCredentials.forEach(
        (host, credentials) ->
            normalized.put(
                RegistryHosts.configKey(host), Objects.requireNonNull(credentials, host)));
    extraCredentials = Map.copyOf(normalized);
  }

  /**
   * Returns options for the docker config that {@code environment} selects ({@code DOCKER_CONFIG},
   * {@code HOME}), with client tokens unless {@code BUILDKIT_NO_CLIENT_TOKEN} is true.
   */
  public static AuthProviderOptions fromEnvironment(Map<String, String> environment) {
    boolean disabled = parseGoBool(environment.getOrDefault("BUILDKIT_NO_CLIENT_TOKEN", ""));
    return new AuthProviderOptions(DockerConfig.load(environment), Map.of(), !disabled);
  }

  /** Returns a copy in which {@code credentials} serve {@code host} ahead of the docker config. */
  public AuthProviderOptions withCredentials(String host, RegistryCredentials credentials) {
    Map<String, RegistryCredentials> merged = new LinkedHashMap<>(extraCredentials);
    merged.put(RegistryHosts.configKey(host), credentials);
    return new AuthProviderOptions(dockerConfig, merged, clientTokens);
  }

  /** Returns the value the builder's token authority calls read, as Go's strconv.ParseBool. */
  private static boolean parseGoBool(String value) {
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return "AuthProviderOptions[dockerConfig="
        + dockerConfig
        + ", extraCredentials="
        + extraCredentials.keySet()
        + ", clientTokens="
        + clientTokens
        + "]";
  }
}
