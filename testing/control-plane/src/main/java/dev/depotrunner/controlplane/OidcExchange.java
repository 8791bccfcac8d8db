package dev.depotrunner.controlplane;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Depot's GitHub Actions OIDC exchange: POST {@code {"token": ID_TOKEN}} to {@value #PATH}, which
 * returns {@code {"ok": true, "token": DEPOT_TOKEN}} when the ID token is signed by a trusted key,
 * issued by GitHub Actions for {@code https://depot.dev}, unexpired, and names a trusted repository.
 * Anything else gets HTTP 401 with {@code {"ok": false, "error": REASON}}.
 */
final class OidcExchange {

  static final String PATH = "/auth/oidc/github-actions";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static final String AUDIENCE = "https://depot.dev";

  private static final System.Logger LOG = System.getLogger(OidcExchange.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A repository whose ID tokens the exchange accepts, and the key that signs them. */
  private record Trust(String repository, RSAPublicKey key) {}

  private final List<Trust> trusts = new CopyOnWriteArrayList<>();
  private final List<String> issued = new CopyOnWriteArrayList<>();
  private final Supplier<String> newToken;

  /** @param newToken makes a Depot token and adds it to the tokens the API accepts */
  OidcExchange(Supplier<String> newToken) {
    this.newToken = newToken;
  }

  void trust(String repository, RSAPublicKey key) {
    trusts.add(new Trust(repository, key));
  }

  List<String> issuedTokens() {
    return List.copyOf(issued);
  }

  void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        send(exchange, 405, Map.of("ok", false, "error", "only POST is served"));
        return;
      }
      String idToken;
      try {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        idToken = body == null ? "" : body.path("token").asText("");
      } catch (JacksonException e) {
        send(exchange, 400, Map.of("ok", false, "error", "invalid JSON body"));
        return;
      }
      if (idToken.isEmpty()) {
        send(exchange, 400, Map.of("ok", false, "error", "token is required"));
        return;
      }

      String reason = rejection(idToken);
      if (reason != null) {
        LOG.log(System.Logger.Level.INFO, "OIDC exchange rejected an ID token: {0}", reason);
        send(exchange, 401, Map.of("ok", false, "error", reason));
        return;
      }
      String token = newToken.get();
      issued.add(token);
      send(exchange, 200, Map.of("ok", true, "token", token));
    }
  }

  /** Returns why the ID token is rejected, or null when a trusted repository's key signed it. */
  private String rejection(String idToken) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(idToken);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return "token is not a signed JWT";
    }

    if (!ISSUER.equals(claims.getIssuer())) {
      return "issuer " + claims.getIssuer() + " is not " + ISSUER;
    }
    if (!claims.getAudience().contains(AUDIENCE)) {
      return "audience " + claims.getAudience() + " does not contain " + AUDIENCE;
    }
    Date expiry = claims.getExpirationTime();
    if (expiry == null || !expiry.toInstant().isAfter(Instant.now())) {
      return "token expired";
    }

    Object repository = claims.getClaim("repository");
    for (Trust trust : trusts) {
      if (trust.repository().equals(repository) && verifies(jwt, trust.key())) {
        return null;
      }
    }
    return "no trust relationship for repository " + repository + " with this signing key";
  }

  private static boolean verifies(SignedJWT jwt, RSAPublicKey key) {
    try {
      return jwt.verify(new RSASSAVerifier(key));
    } catch (JOSEException e) {
      return false;
    }
  }

  private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
