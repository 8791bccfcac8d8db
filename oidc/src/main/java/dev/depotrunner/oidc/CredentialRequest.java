package dev.depotrunner.oidc;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Inputs of a Depot token lookup.
 *
 * @param flagToken the value of {@code --token}, if given
 * @param environment the job's environment variables; the lookup reads no other environment
 * @param log receives lines for the runner's log, never a token
 * @param secrets receives each credential the lookup obtains from the CI before it is sent
 *     anywhere, such as GitHub's ID token, so that the caller can mask it in the job log
 */
public record CredentialRequest(Optional<String> flagToken, Map<String, String> environment,
    Consumer<String> log, Consumer<String> secrets) {

  public CredentialRequest {
    Objects.requireNonNull(flagToken, "flagToken");
    environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(secrets, "secrets");
  }

  /** A request whose caller does not mask the credentials obtained from the CI. */
  public CredentialRequest(Optional<String> flagToken, Map<String, String> environment,
      Consumer<String> log) {
    this(flagToken, environment, log, secret -> {});
  }

  /** Lists only what was given, because the flag and the environment carry secrets. */
  @Override
  public String toString() {
    return "CredentialRequest[flagToken=" + (flagToken.isPresent() ? "(set)" : "(none)")
        + ", environment=" + environment.size() + " variables]";
  }
}
