package dev.depotrunner.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OidcExchangeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ControlPlane depot;
  private RSAKey key;

  @BeforeEach
  void start() throws Exception {
    depot = ControlPlane.startWithoutBuilder();
    key = new RSAKeyGenerator(2048).keyID("trusted").generate();
    depot.trustGitHubActions("acme/app", key.toRSAPublicKey());
  }

  @AfterEach
  void stop() {
    depot.close();
  }

  @Test
  void trustedToken_returnsUserToken() throws Exception {
    HttpResponse<String> response = exchange(sign(key, claims("acme/app").build()));

    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = JSON.readTree(response.body());
    assertTrue(body.path("ok").asBoolean());
    assertEquals(List.of(body.path("token").asText()), depot.exchangedTokens());
  }

  @Test
  void untrustedTokens_areRejected() throws Exception {
    RSAKey otherKey = new RSAKeyGenerator(2048).keyID("other").generate();
    Instant past = Instant.now().minus(Duration.ofMinutes(1));
    Map<String, String> cases = Map.of(
        "other repository", sign(key, claims("acme/other").build()),
        "other key", sign(otherKey, claims("acme/app").build()),
        "other audience", sign(key, claims("acme/app").audience("https://example.test").build()),
        "other issuer", sign(key, claims("acme/app").issuer("https://issuer.example.test").build()),
        "expired", sign(key, claims("acme/app").expirationTime(Date.from(past)).build()),
        "not a JWT", "not-a-jwt");

    for (var entry : cases.entrySet()) {
      HttpResponse<String> response = exchange(entry.getValue());

      assertEquals(401, response.statusCode(), entry.getKey() + ": " + response.body());
      assertFalse(JSON.readTree(response.body()).path("ok").asBoolean(), entry.getKey());
    }
    assertEquals(List.of(), depot.exchangedTokens());
  }

  private HttpResponse<String> exchange(String idToken) throws Exception {
    String body = JSON.writeValueAsString(Map.of("token", idToken));
    HttpRequest request = HttpRequest.newBuilder(URI.create(depot.url() + OidcExchange.PATH))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JWTClaimsSet.Builder claims(String repository) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(OidcExchange.ISSUER)
        .subject("repo:" + repository + ":ref:refs/heads/main")
        .audience(OidcExchange.AUDIENCE)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
        .claim("repository", repository);
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
