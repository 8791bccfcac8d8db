package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnectionException;
import dev.depotrunner.buildkit.transport.BuilderConnections;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.buildkit.transport.TlsConfig;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionResponse;
import java.time.Duration;
import java.util.Map;

/** Gets a build's BuildKit builder from Depot and connects to it. */
final class BuilderLease {

  /** The pause between polls when Depot's pending response carries no {@code wait_ms}. */
  static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(1);

  private BuilderLease() {}

  /** Something that may end a wait early, such as a cancelled build. */
  interface Waiter {
    /** Waits up to {@code duration}; returns false if the wait was cut short by cancellation. */
    boolean await(Duration duration) throws InterruptedException;
  }

  /**
   * Polls GetBuildKitConnection until Depot returns an active builder, waiting as long as each pending
   * response requests.
   *
   * @return the active connection, or null if {@code waiter} reports cancellation
   */
  static GetBuildKitConnectionResponse.ActiveConnection awaitBuilder(
      BuildService api, String buildId, ApiToken buildToken, BuilderPlatform platform, Waiter waiter)
      throws DepotApiException, InterruptedException {
    var request = GetBuildKitConnectionRequest.newBuilder().setBuildId(buildId).setPlatform(platform).build();
    while (true) {
      GetBuildKitConnectionResponse response = api.getBuildKitConnection(request, buildToken);
      switch (response.getConnectionCase()) {
        case ACTIVE:
          return response.getActive();
        case PENDING:
          int waitMs = response.getPending().getWaitMs();
          Duration wait = waitMs > 0 ? Duration.ofMillis(waitMs) : DEFAULT_POLL_WAIT;
          if (!waiter.await(wait)) {
            return null;
          }
          break;
        default:
          // A response with neither case comes from a newer API; poll again as for pending.
          if (!waiter.await(DEFAULT_POLL_WAIT)) {
            return null;
          }
      }
    }
  }

  /**
   * Returns the builder's address with the mutual TLS settings Depot sent, kept in memory, and gzip
   * compression when the response requests it. A response without certificates, as from a development
   * API, connects without TLS.
   *
   * @throws IllegalArgumentException if the address or the certificates are invalid
   */
  static BuilderEndpoint endpoint(GetBuildKitConnectionResponse.ActiveConnection active) {
    BuilderEndpoint endpoint = BuilderEndpoint.parse(active.getEndpoint(), Map.of());
    if (active.hasGzip()) {
      endpoint = endpoint.withGzip();
    }
    if (!active.hasCaCert() || !active.hasCert()) {
      return endpoint;
    }
    TlsConfig tls = TlsConfig.fromPem(active.getCaCert().getCert(), active.getCert().getCert(), active.getCert().getKey());
    if (!active.getServerName().isEmpty()) {
      tls = tls.withServerName(active.getServerName());
    }
    return endpoint.withTls(tls);
  }

  static BuilderConnection connect(BuilderEndpoint endpoint) throws BuilderConnectionException {
    return BuilderConnections.open(endpoint);
  }
}
