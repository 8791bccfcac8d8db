package dev.depotrunner.runner.build;

import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.buildkit.transport.TlsConfig;
import dev.depotrunner.steps.build.options.BuildOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the builder for a build: {@code --builder} with its TLS flags, else {@code BUILDKIT_HOST}, else
 * a Docker Engine ({@code DOCKER_HOST} or the local socket).
 */
final class BuilderSelection {

  static final String NO_BUILDER_MESSAGE =
      "no builder found: pass --builder (or set BUILDKIT_HOST) to a buildkitd address such as"
          + " unix:///run/buildkit/buildkitd.sock, start a Docker Engine (DOCKER_HOST or /var/run/docker.sock),"
          + " or use a Depot project with --project and --token (or DEPOT_TOKEN)";

  /**
   * The chosen endpoint, and whether it was picked as the fallback local Docker Engine, which is worth a
   * one-line notice.
   */
  record Choice(BuilderEndpoint endpoint, boolean implicitDockerEngine) {}

  private BuilderSelection() {}

  /**
   * @throws IllegalArgumentException with a one-line message when an address is invalid or nothing is found
   */
  static Choice choose(BuildOptions options, Map<String, String> environment) {
    var flags = options.builderEndpoint();
    Optional<TlsConfig> tls = tlsFromFlags(flags);

    if (flags.address().isPresent()) {
      BuilderEndpoint endpoint = BuilderEndpoint.parse(flags.address().get(), environment);
      return new Choice(tls.map(endpoint::withTls).orElse(endpoint), false);
    }

    Optional<BuilderEndpoint> fromEnvironment = BuilderEndpoint.fromEnvironment(environment);
    if (fromEnvironment.isEmpty()) {
      throw new IllegalArgumentException(NO_BUILDER_MESSAGE);
    }
    BuilderEndpoint endpoint = tls.map(fromEnvironment.get()::withTls).orElse(fromEnvironment.get());
    boolean named = environment.containsKey("BUILDKIT_HOST") || environment.containsKey("DOCKER_HOST");
    return new Choice(endpoint, !named);
  }

  private static Optional<TlsConfig> tlsFromFlags(dev.depotrunner.steps.build.options.BuilderEndpoint flags) {
    if (!flags.usesTls()) {
      return Optional.empty();
    }
    Path ca = flags.caCertificate().orElse(null);
    Path certificate = flags.clientCertificate().orElse(null);
    Path key = flags.clientKey().orElse(null);
    TlsConfig tls = TlsConfig.fromFiles(ca, certificate, key);
    return Optional.of(flags.serverName().map(tls::withServerName).orElse(tls));
  }
}
