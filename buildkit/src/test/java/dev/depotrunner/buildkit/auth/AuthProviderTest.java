package dev.depotrunner.buildkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.auth.AuthGrpc;
import dev.depotrunner.buildkit.proto.auth.CredentialsRequest;
import dev.depotrunner.buildkit.proto.auth.CredentialsResponse;
import dev.depotrunner.buildkit.proto.auth.FetchTokenRequest;
import dev.depotrunner.buildkit.proto.auth.FetchTokenResponse;
import dev.depotrunner.buildkit.proto.auth.GetTokenAuthorityRequest;
import dev.depotrunner.buildkit.proto.auth.VerifyTokenAuthorityRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthProviderTest {

  private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
  private static final byte[] SALT = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

  @TempDir Path temp;

  private final MutableClock clock = new MutableClock(START);
  private final TokenServer tokenServer;
  private final HttpClient httpClient =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private Server server;
  private ManagedChannel channel;
  private AuthGrpc.AuthBlockingStub auth;

  AuthProviderTest() throws IOException {
    tokenServer = new TokenServer();
  }

  @BeforeEach
  void writeDockerConfig() throws IOException {
    Files.writeString(
        temp.resolve("config.json"),
        """
        {"auths": {
          "basic.example": {"auth": "%s"},
          "identity.example": {"identitytoken": "refresh-me"},
          "static.example": {"registrytoken": "bearer-me"}
        }}
        """
            .formatted(
                Base64.getEncoder()
                    .encodeToString("alice:s3cret-pass".getBytes(StandardCharsets.UTF_8))));
  }

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    if (server != null) {
      server.shutdownNow();
    }
    tokenServer.close();
  }

  private AuthProviderOptions options() {
    return new AuthProviderOptions(DockerConfig.load(temp, Map.of()), Map.of(), true);
  }

  private void start(AuthProviderOptions options) throws IOException {
    var provider = new AuthProvider(options, httpClient, new TokenSeeds(temp), clock);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(provider).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    auth = AuthGrpc.newBlockingStub(channel);
  }

  private CredentialsResponse credentials(String host) {
    return auth.credentials(CredentialsRequest.newBuilder().setHost(host).build());
  }

  private FetchTokenResponse fetchToken(String host) {
    return auth.fetchToken(
        FetchTokenRequest.newBuilder()
            .setClientID("buildkit-client")
            .setHost(host)
            .setRealm(tokenServer.url("/token"))
            .setService("registry.test")
            .addScopes("repository:team/app:pull")
            .addScopes("repository:team/app:pull,push")
            .build());
  }

  @Test
  void credentialsBasic() throws IOException {
    start(options());

    CredentialsResponse response = credentials("basic.example");

    assertEquals("alice", response.getUsername());
    assertEquals("s3cret-pass", response.getSecret());
  }

  @Test
  void credentialsIdentityToken() throws IOException {
    start(options());

    CredentialsResponse response = credentials("identity.example");

    assertEquals("", response.getUsername());
    assertEquals("refresh-me", response.getSecret());
  }

  @Test
  void credentialsUnknownHostEmpty() throws IOException {
    start(options());

    CredentialsResponse response = credentials("unknown.example");

    assertEquals("", response.getUsername());
    assertEquals("", response.getSecret());
  }

  @Test
  void extraCredentialsTakePrecedence() throws IOException {
    start(
        options()
            .withCredentials("https://basic.example/v2/", RegistryCredentials.basic("runner", "runner-pass"))
            .withCredentials("docker.io", RegistryCredentials.basic("hub", "hub-pass")));

    assertEquals("runner", credentials("basic.example").getUsername());
    assertEquals("runner-pass", credentials("basic.example").getSecret());
    assertEquals("hub", credentials("registry-1.docker.io").getUsername());
  }

  @Test
  void fetchTokenFallsBackToGet() throws IOException {
    tokenServer.handle(
        "/token",
        request ->
            request.method().equals("POST")
                ? TokenServer.Reply.status(404)
                : TokenServer.Reply.json(
                    "{\"token\":\"get-token\",\"expires_in\":300,\"issued_at\":\"2026-03-01T09:59:30Z\"}"));
    start(options());

    FetchTokenResponse response = fetchToken("basic.example");

    assertEquals("get-token", response.getToken());
    assertEquals(300, response.getExpiresIn());
    assertEquals(Instant.parse("2026-03-01T09:59:30Z").getEpochSecond(), response.getIssuedAt());

    List<TokenServer.Request> requests = tokenServer.requests();
    assertEquals(2, requests.size());
    TokenServer.Request post = requests.get(0);
    assertEquals("POST", post.method());
    assertEquals("password", post.parameter("grant_type"));
    assertEquals("alice", post.parameter("username"));
    assertEquals("s3cret-pass", post.parameter("password"));
    assertEquals("buildkit-client", post.parameter("client_id"));
    assertEquals("registry.test", post.parameter("service"));
    assertEquals("repository:team/app:pull repository:team/app:pull,push", post.parameter("scope"));
    TokenServer.Request get = requests.get(1);
    assertEquals("GET", get.method());
    assertEquals("alice:s3cret-pass", get.basicCredentials());
    assertEquals("registry.test", get.parameter("service"));
    assertEquals(
        List.of("repository:team/app:pull", "repository:team/app:pull,push"),
        get.parameters().get("scope"));
  }

  @Test
  void fetchTokenRefreshTokenFlow() throws IOException {
    tokenServer.handle(
        "/token",
        request -> TokenServer.Reply.json("{\"access_token\":\"oauth-token\",\"expires_in\":120}"));
    start(options());

    FetchTokenResponse response = fetchToken("identity.example");

    assertEquals("oauth-token", response.getToken());
    assertEquals(120, response.getExpiresIn());
    assertEquals(0, response.getIssuedAt());
    List<TokenServer.Request> requests = tokenServer.requests();
    assertEquals(1, requests.size());
    assertEquals("POST", requests.get(0).method());
    assertEquals("refresh_token", requests.get(0).parameter("grant_type"));
    assertEquals("refresh-me", requests.get(0).parameter("refresh_token"));
    assertNull(requests.get(0).parameter("username"));
  }

  @Test
  void fetchTokenAnonymous() throws IOException {
    tokenServer.handle("/token", request -> TokenServer.Reply.json("{\"token\":\"anonymous\"}"));
    start(options());

    FetchTokenResponse response = fetchToken("unknown.example");

    assertEquals("anonymous", response.getToken());
    assertEquals(60, response.getExpiresIn());
    List<TokenServer.Request> requests = tokenServer.requests();
    assertEquals(1, requests.size());
    assertEquals("GET", requests.get(0).method());
    assertNull(requests.get(0).authorization());
  }

  @Test
  void fetchTokenAccessTokenPreferred() throws IOException {
    tokenServer.handle(
        "/token",
        request -> TokenServer.Reply.json("{\"token\":\"plain\",\"access_token\":\"preferred\"}"));
    start(options());

    assertEquals("preferred", fetchToken("unknown.example").getToken());
  }

  @Test
  void fetchTokenCachedUntilNinetyPercent() throws IOException {
    tokenServer.handle(
        "/token",
        request ->
            TokenServer.Reply.json(
                "{\"token\":\"token-" + tokenServer.requests().size() + "\",\"expires_in\":100}"));
    start(options());

    FetchTokenResponse first = fetchToken("unknown.example");
    clock.advance(Duration.ofSeconds(30));
    FetchTokenResponse cached = fetchToken("unknown.example");
    clock.advance(Duration.ofSeconds(61));
    FetchTokenResponse refreshed = fetchToken("unknown.example");

    assertEquals("token-1", first.getToken());
    assertEquals("token-1", cached.getToken());
    assertEquals(70, cached.getExpiresIn());
    assertEquals(0, cached.getIssuedAt());
    assertEquals("token-2", refreshed.getToken());
    assertEquals(2, tokenServer.requests().size());
  }

  @Test
  void fetchTokenCacheSeparatesCredentials() throws IOException {
    tokenServer.handle(
        "/token",
        request ->
            TokenServer.Reply.json(
                "{\"access_token\":\"token-" + tokenServer.requests().size() + "\"}"));
    start(options());

    String anonymous = fetchToken("unknown.example").getToken();
    String withCredentials = fetchToken("identity.example").getToken();

    assertNotEquals(anonymous, withCredentials);
  }

  @Test
  void fetchTokenRegistryTokenUnchanged() throws IOException {
    start(options());

    FetchTokenResponse response = fetchToken("static.example");

    assertEquals("bearer-me", response.getToken());
    assertEquals(60, response.getExpiresIn());
    assertTrue(tokenServer.requests().isEmpty());
  }

  @Test
  void fetchTokenUnauthorizedHidesSecret() throws IOException {
    tokenServer.handle("/token", request -> TokenServer.Reply.status(401));
    start(options());

    var failure = assertThrows(StatusRuntimeException.class, () -> fetchToken("basic.example"));

    assertEquals(Status.Code.UNAUTHENTICATED, failure.getStatus().getCode());
    assertTrue(failure.getMessage().contains("401"), failure.getMessage());
    assertTrue(failure.getMessage().contains(tokenServer.url("/token")), failure.getMessage());
    assertTrue(failure.getMessage().contains("registry basic.example: "), failure.getMessage());
    assertTrue(failure.getMessage().contains("check the credentials for basic.example"), failure.getMessage());
    assertFalse(failure.getMessage().contains("s3cret-pass"), failure.getMessage());
  }

  @Test
  void fetchTokenRedirectDropsCredentials() throws IOException {
    tokenServer.handle(
        "/token",
        request ->
            request.method().equals("POST")
                ? TokenServer.Reply.status(405)
                : TokenServer.Reply.redirect(302, tokenServer.otherHostUrl("/moved")));
    tokenServer.handle("/moved", request -> TokenServer.Reply.json("{\"token\":\"moved\"}"));
    start(options());

    FetchTokenResponse response = fetchToken("basic.example");

    assertEquals("moved", response.getToken());
    List<TokenServer.Request> requests = tokenServer.requests();
    assertEquals(3, requests.size());
    assertEquals("alice:s3cret-pass", requests.get(1).basicCredentials());
    assertEquals("/moved", requests.get(2).path());
    assertNull(requests.get(2).authorization());
  }

  @Test
  void fetchTokenRedirectSameHostKeepsCredentials() throws IOException {
    tokenServer.handle(
        "/token",
        request ->
            request.method().equals("POST")
                ? TokenServer.Reply.status(404)
                : TokenServer.Reply.redirect(307, "/moved"));
    tokenServer.handle("/moved", request -> TokenServer.Reply.json("{\"token\":\"moved\"}"));
    start(options());

    assertEquals("moved", fetchToken("basic.example").getToken());
    assertEquals("alice:s3cret-pass", tokenServer.requests().get(2).basicCredentials());
  }

  @Test
  void tokenAuthorityVerifies() throws Exception {
    start(options());
    byte[] payload = "builder-challenge-0123456789abcd".getBytes(StandardCharsets.UTF_8);

    byte[] rawKey =
        auth.getTokenAuthority(
                GetTokenAuthorityRequest.newBuilder()
                    .setHost("basic.example")
                    .setSalt(ByteString.copyFrom(SALT))
                    .build())
            .getPublicKey()
            .toByteArray();
    byte[] signed =
        auth.verifyTokenAuthority(
                VerifyTokenAuthorityRequest.newBuilder()
                    .setHost("basic.example")
                    .setSalt(ByteString.copyFrom(SALT))
                    .setPayload(ByteString.copyFrom(payload))
                    .build())
            .getSigned()
            .toByteArray();

    assertEquals(32, rawKey.length);
    assertEquals(64 + payload.length, signed.length);
    assertArrayEquals(payload, Arrays.copyOfRange(signed, 64, signed.length));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(ed25519PublicKey(rawKey));
    verifier.update(payload);
    assertTrue(verifier.verify(Arrays.copyOf(signed, 64)));
  }

  @Test
  void tokenAuthorityStableAcrossProviders() throws IOException {
    start(options());
    ByteString first = publicKey("basic.example", SALT);
    ByteString otherSalt = publicKey("basic.example", new byte[32]);
    stop();

    start(options());
    ByteString second = publicKey("basic.example", SALT);

    assertEquals(first, second);
    assertNotEquals(first, otherSalt);
    String seeds = Files.readString(temp.resolve(".token_seed"));
    assertTrue(seeds.contains("\"basic.example\""), seeds);
    assertTrue(seeds.contains("\"Seed\""), seeds);
  }

  @Test
  void tokenAuthoritySeedIgnoredWithoutSecret() throws IOException {
    start(options());

    ByteString key = publicKey("unknown.example", SALT);

    byte[] expected =
        TokenAuthority.rawPublicKey(TokenAuthority.derive(SALT, new byte[16], false).getPublic());
    assertArrayEquals(expected, key.toByteArray());
  }

  @Test
  void tokenAuthorityDisabled() throws IOException {
    start(new AuthProviderOptions(DockerConfig.load(temp, Map.of()), Map.of(), false));

    var failure = assertThrows(StatusRuntimeException.class, () -> publicKey("basic.example", SALT));

    assertEquals(Status.Code.UNAVAILABLE, failure.getStatus().getCode());
  }

  @Test
  void optionsFromEnvironmentDisableTokens() {
    var options =
        AuthProviderOptions.fromEnvironment(
            Map.of("DOCKER_CONFIG", temp.toString(), "BUILDKIT_NO_CLIENT_TOKEN", "1"));

    assertFalse(options.clientTokens());
    assertEquals(temp, options.dockerConfig().directory());
  }

  private ByteString publicKey(String host, byte[] salt) {
    return auth.getTokenAuthority(
            GetTokenAuthorityRequest.newBuilder()
                .setHost(host)
                .setSalt(ByteString.copyFrom(salt))
                .build())
        .getPublicKey();
  }

  private static PublicKey ed25519PublicKey(byte[] raw) throws Exception {
    byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100");
    byte[] encoded = Arrays.copyOf(prefix, prefix.length + raw.length);
    System.arraycopy(raw, 0, encoded, prefix.length, raw.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
  }

  /** A clock the test moves forward by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
