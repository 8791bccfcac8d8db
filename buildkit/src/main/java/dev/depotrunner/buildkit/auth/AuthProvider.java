package dev.depotrunner.buildkit.auth;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.auth.AuthGrpc;
import dev.depotrunner.buildkit.proto.auth.CredentialsRequest;
import dev.depotrunner.buildkit.proto.auth.CredentialsResponse;
import dev.depotrunner.buildkit.proto.auth.FetchTokenRequest;
import dev.depotrunner.buildkit.proto.auth.FetchTokenResponse;
import dev.depotrunner.buildkit.proto.auth.GetTokenAuthorityRequest;
import dev.depotrunner.buildkit.proto.auth.GetTokenAuthorityResponse;
import dev.depotrunner.buildkit.proto.auth.VerifyTokenAuthorityRequest;
import dev.depotrunner.buildkit.proto.auth.VerifyTokenAuthorityResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The session's Auth service ({@code moby.filesync.v1.Auth}): the builder calls it for registry
 * credentials and tokens when it pulls and pushes images, as it calls buildx's authprovider.
 *
 * <ul>
 *   <li>Credentials returns the user name and secret for a host; an identity token is returned as
 *       the secret with an empty user name.
 *   <li>FetchToken fetches a bearer token on the client, so the secret never reaches the builder.
 *   <li>GetTokenAuthority and VerifyTokenAuthority let the builder check that a later session
 *       holds the same credentials before it shares tokens with it.
 * </ul>
 *
 * <p>Credentials found for a host are cached for 4 minutes 50 seconds, as in buildx, so that a
 * credential helper runs once per registry rather than once per request.
 */
public final class AuthProvider extends AuthGrpc.AuthImplBase {

  private static final System.Logger LOG = System.getLogger(AuthProvider.class.getName());

  /** Shorter than the 5 minutes Google Artifact Registry's workload identity tokens last. */
  private static final Duration CREDENTIALS_CACHE_TIME = Duration.ofMinutes(4).plusSeconds(50);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final AuthProviderOptions options;
  private final TokenFetcher tokens;
  private final TokenSeeds seeds;
  private final Clock clock;
  private final Map<String, CachedCredentials> credentialsCache = new HashMap<>();
  private final Set<String> announcedHosts = new HashSet<>();

  AuthProvider(AuthProviderOptions options, HttpClient httpClient, TokenSeeds seeds, Clock clock) {
    this(options, () -> httpClient, seeds, clock);
  }

  private AuthProvider(AuthProviderOptions options, Supplier<HttpClient> httpClient, TokenSeeds seeds, Clock clock) {
    this.options = options;
    this.tokens = new TokenFetcher(httpClient, clock);
    this.seeds = seeds;
    this.clock = clock;
  }

  /**
   * Creates the service with an HTTP client of its own for token endpoints. The client is created on
   * the first token request, because creating it loads the TLS trust store, which costs a cached build
   * about a tenth of its CPU time.
   */
  public static AuthProvider create(AuthProviderOptions options) {
    Supplier<HttpClient> httpClient = new Supplier<>() {
      private HttpClient client;

      @Override
      public synchronized HttpClient get() {
        if (client == null) {
          client = HttpClient.newBuilder()
              .connectTimeout(CONNECT_TIMEOUT)
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
        }
        return client;
      }
    };
    var seeds = new TokenSeeds(options.dockerConfig().directory());
    return new AuthProvider(options, httpClient, seeds, Clock.systemUTC());
  }

  /**
   * Creates the service. The caller owns {@code httpClient}; it must not follow redirects itself,
   * because the service decides which redirects may carry credentials.
   */
  public static AuthProvider create(AuthProviderOptions options, HttpClient httpClient) {
    var seeds = new TokenSeeds(options.dockerConfig().directory());
    return new AuthProvider(options, httpClient, seeds, Clock.systemUTC());
  }

  @Override
  public void credentials(
      CredentialsRequest request, StreamObserver<CredentialsResponse> responseObserver) {
    RegistryCredentials credentials;
    try {
      credentials = lookup(request.getHost());
    } catch (CredentialsException e) {
      reject(responseObserver, Status.UNAVAILABLE, "Credentials", request.getHost(), e);
      return;
    }

    if (!credentials.sessionSecret().isEmpty()) {
      announce(request.getHost());
    }
    responseObserver.onNext(
        CredentialsResponse.newBuilder()
            .setUsername(credentials.sessionUsername())
            .setSecret(credentials.sessionSecret())
            .build());
    responseObserver.onCompleted();
  }

  @Override
  public void fetchToken(
      FetchTokenRequest request, StreamObserver<FetchTokenResponse> responseObserver) {
    TokenFetcher.Token token;
    try {
      token = fetchToken(request);
    } catch (CredentialsException e) {
      reject(responseObserver, Status.UNAVAILABLE, "FetchToken", request.getHost(), e);
      return;
    } catch (TokenFetchException e) {
      reject(responseObserver, statusFor(e), "FetchToken", request.getHost(), e, describe(request.getHost(), e));
      return;
    }

    responseObserver.onNext(
        FetchTokenResponse.newBuilder()
            .setToken(token.value())
            .setExpiresIn(token.expiresIn())
            .setIssuedAt(token.issuedAt())
            .build());
    responseObserver.onCompleted();
  }

  @Override
  public void getTokenAuthority(
      GetTokenAuthorityRequest request,
      StreamObserver<GetTokenAuthorityResponse> responseObserver) {
    KeyPair key;
    try {
      key = authorityKey(request.getHost(), request.getSalt().toByteArray());
    } catch (CredentialsException e) {
      reject(responseObserver, Status.UNAVAILABLE, "GetTokenAuthority", request.getHost(), e);
      return;
    } catch (ClientTokensDisabledException e) {
      // Expected with BUILDKIT_NO_CLIENT_TOKEN, so it is not logged.
      responseObserver.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }

    byte[] publicKey = TokenAuthority.rawPublicKey(key.getPublic());
    responseObserver.onNext(
        GetTokenAuthorityResponse.newBuilder().setPublicKey(ByteString.copyFrom(publicKey)).build());
    responseObserver.onCompleted();
  }

  @Override
  public void verifyTokenAuthority(
      VerifyTokenAuthorityRequest request,
      StreamObserver<VerifyTokenAuthorityResponse> responseObserver) {
    KeyPair key;
    try {
      key = authorityKey(request.getHost(), request.getSalt().toByteArray());
    } catch (CredentialsException e) {
      reject(responseObserver, Status.UNAVAILABLE, "VerifyTokenAuthority", request.getHost(), e);
      return;
    } catch (ClientTokensDisabledException e) {
      // Expected with BUILDKIT_NO_CLIENT_TOKEN, so it is not logged.
      responseObserver.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }

    byte[] signed = TokenAuthority.signAttached(key.getPrivate(), request.getPayload().toByteArray());
    responseObserver.onNext(
        VerifyTokenAuthorityResponse.newBuilder().setSigned(ByteString.copyFrom(signed)).build());
    responseObserver.onCompleted();
  }

  private TokenFetcher.Token fetchToken(FetchTokenRequest request)
      throws CredentialsException, TokenFetchException {
    RegistryCredentials credentials = lookup(request.getHost());

    // A registry token from the docker config is used as the bearer token itself.
    if (!credentials.registryToken().isEmpty()) {
      return new TokenFetcher.Token(
          credentials.registryToken(), TokenFetcher.DEFAULT_EXPIRES_IN_SECONDS, 0);
    }

    if (!credentials.sessionSecret().isEmpty()) {
      announce(request.getHost());
    }
    var tokenRequest =
        new TokenFetcher.TokenRequest(
            request.getRealm(), request.getService(), request.getScopesList());
    return tokens.fetch(tokenRequest, credentials);
  }

  private KeyPair authorityKey(String host, byte[] salt)
      throws CredentialsException, ClientTokensDisabledException {
    if (!options.clientTokens()) {
      throw new ClientTokensDisabledException();
    }
    RegistryCredentials credentials = lookup(host);
    byte[] seed = seeds.seed(host);
    return TokenAuthority.derive(salt, seed, !credentials.sessionSecret().isEmpty());
  }

  /** Returns the credentials for a host: an extra entry, else the docker config's, cached. */
  private RegistryCredentials lookup(String host) throws CredentialsException {
    String key = RegistryHosts.configKey(host);
    RegistryCredentials extra = options.extraCredentials().get(key);
    if (extra != null) {
      return extra;
    }

    // Lookups run one at a time, so that concurrent requests start a credential helper once.
    synchronized (credentialsCache) {
      Instant now = clock.instant();
      CachedCredentials cached = credentialsCache.get(key);
      if (cached != null && now.isBefore(cached.created().plus(CREDENTIALS_CACHE_TIME))) {
        return cached.credentials();
      }
      RegistryCredentials credentials = options.dockerConfig().credentials(host);
      credentialsCache.put(key, new CachedCredentials(credentials, now));
      return credentials;
    }
  }

  private void announce(String host) {
    synchronized (announcedHosts) {
      if (announcedHosts.add(host)) {
        LOG.log(System.Logger.Level.INFO, "sharing registry credentials for " + host);
      }
    }
  }

  private static Status statusFor(TokenFetchException e) {
    return switch (e.statusCode()) {
      case 0 -> e.getCause() instanceof java.io.IOException ? Status.UNAVAILABLE : Status.UNKNOWN;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.NOT_FOUND;
      default -> Status.UNKNOWN;
    };
  }

  /** Logs a failed call and returns its status to the builder. */
  private static void reject(
      StreamObserver<?> responseObserver, Status status, String method, String host, Exception e) {
    reject(responseObserver, status, method, host, e, e.getMessage());
  }

  private static void reject(
      StreamObserver<?> responseObserver, Status status, String method, String host, Exception e,
      String description) {
    LOG.log(System.Logger.Level.WARNING, method + " for " + host + " failed: " + e.getMessage());
    responseObserver.onError(status.withDescription(description).withCause(e).asRuntimeException());
  }

  /**
   * Names the registry in a token failure, because BuildKit shows the description as the build's
   * error and the token endpoint's address alone does not say which registry's credentials failed.
   */
  private static String describe(String host, TokenFetchException e) {
    String description = "registry " + host + ": " + e.getMessage();
    if (e.statusCode() == 401 || e.statusCode() == 403) {
      description += "; check the credentials for " + host;
    }
    return description;
  }

  private record CachedCredentials(RegistryCredentials credentials, Instant created) {}

  /** BuildKit treats UNAVAILABLE from GetTokenAuthority as "this client offers no authority". */
  private static final class ClientTokensDisabledException extends Exception {
    ClientTokensDisabledException() {
      super("client side tokens disabled", null, false, false);
    }
  }
}
