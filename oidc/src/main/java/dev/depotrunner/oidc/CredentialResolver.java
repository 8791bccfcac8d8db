package dev.depotrunner.oidc;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Looks for a Depot token in the Depot CLI's order for project commands such as {@code depot build}
 * (pkg/helpers/token.go, ResolveProjectAuth): the flag, DEPOT_TOKEN, the {@code depot login}
 * config, each CI's OIDC identity, then DEPOT_JIT_TOKEN and DEPOT_CACHE_TOKEN. The first one found
 * wins.
 */
final class CredentialResolver {

  private final List<IdentityProvider> providers;
  private final String osName;

  CredentialResolver(List<IdentityProvider> providers, String osName) {
    this.providers = List.copyOf(providers);
    this.osName = osName;
  }

  Optional<DepotToken> resolve(CredentialRequest request) throws IdentityException {
    Environment environment = new Environment(request.environment());
    Consumer<String> debug = environment.isSet("DEPOT_DEBUG_OIDC") ? request.log() : line -> {};

    Optional<DepotToken> saved = findSavedToken(request, environment);
    if (saved.isPresent()) {
      debug.accept("OIDC not tried: using the Depot token from " + saved.get().source());
      return saved;
    }

    Optional<String> missingIdentity = Optional.empty();
    for (IdentityProvider provider : providers) {
      IdentityProvider.Attempt attempt = tryProvider(provider, environment, request.secrets(), debug);
      if (attempt.token().isPresent()) {
        return attempt.token();
      }
      if (missingIdentity.isEmpty()) {
        missingIdentity = attempt.missingIdentity();
      }
    }

    Optional<DepotToken> jobToken = findJobToken(environment);
    if (jobToken.isPresent()) {
      return jobToken;
    }

    // A CI that should have issued an identity but did not is a clearer error than "no token".
    if (missingIdentity.isPresent()) {
      throw new IdentityException(missingIdentity.get());
    }
    return Optional.empty();
  }

  /**
   * Returns a token given by the user: the flag, DEPOT_TOKEN, or what {@code depot login} saved.
   * The Depot CLI reads the saved token through viper with the DEPOT prefix and automatic
   * environment, so DEPOT_API_TOKEN overrides the file's {@code api_token}.
   */
  private Optional<DepotToken> findSavedToken(CredentialRequest request, Environment environment)
      throws IdentityException {
    Optional<String> flag = request.flagToken().filter(value -> !value.isEmpty());
    if (flag.isPresent()) {
      return Optional.of(new DepotToken(flag.get(), "flag", Optional.empty()));
    }

    for (String variable : List.of("DEPOT_TOKEN", "DEPOT_API_TOKEN")) {
      Optional<String> value = environment.get(variable);
      if (value.isPresent()) {
        return Optional.of(new DepotToken(value.get(), variable, Optional.empty()));
      }
    }

    Path config = DepotLoginConfig.location(environment, osName);
    return DepotLoginConfig.readApiToken(config)
        .map(value -> new DepotToken(value, "depot login", Optional.empty()));
  }

  private static IdentityProvider.Attempt tryProvider(IdentityProvider provider,
      Environment environment, Consumer<String> secrets, Consumer<String> debug)
      throws IdentityException {
    String prefix = "OIDC provider " + provider.name() + ": ";
    try {
      IdentityProvider.Attempt attempt = provider.attempt(environment, secrets);
      debug.accept(prefix + attempt.explanation());
      return attempt;
    } catch (IdentityException e) {
      debug.accept(prefix + "failed: " + e.getMessage());
      throw e;
    }
  }

  /** Returns a token that Depot's own job runners hand to the job. */
  private static Optional<DepotToken> findJobToken(Environment environment) {
    for (String variable : List.of("DEPOT_JIT_TOKEN", "DEPOT_CACHE_TOKEN")) {
      Optional<String> value = environment.get(variable);
      if (value.isPresent()) {
        return Optional.of(new DepotToken(value.get(), variable, Optional.empty()));
      }
    }
    return Optional.empty();
  }
}
