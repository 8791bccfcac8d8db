package dev.depotrunner.controlplane.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

class RegistryTokenIssuerTest {

  @Test
  void realmGrantsOnlyAllowedActions() throws Exception {
    RegistryTokenIssuer issuer = selfSignedIssuer(
        (user, password) -> user.equals("x-token") && password.equals("secret"),
        (user, password, repository, action) -> repository.equals("project-a") && action.equals("pull"));
    HttpServer server = issuer.serve(new InetSocketAddress("127.0.0.1", 0));
    try {
      URI realm = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + RegistryTokenIssuer.REALM_PATH
          + "?service=test-service&scope=repository:project-a:pull,push&scope=repository:project-b:pull");

      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(realm)
              .header("Authorization", "Basic " + Base64.getEncoder()
                  .encodeToString("x-token:secret".getBytes(StandardCharsets.UTF_8)))
              .build(),
          HttpResponse.BodyHandlers.ofString());

      assertEquals(200, response.statusCode(), response.body());
      String token = response.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
      List<Object> access = SignedJWT.parse(token).getJWTClaimsSet().getListClaim("access");
      assertEquals(1, access.size(), access.toString());
      Map<?, ?> claim = (Map<?, ?>) access.get(0);
      assertEquals("project-a", claim.get("name"));
      assertEquals(List.of("pull"), claim.get("actions"));
    } finally {
      server.stop(0);
    }
  }

  private static RegistryTokenIssuer selfSignedIssuer(
      BiPredicate<String, String> credentials,
      RegistryTokenIssuer.RepositoryAccess access) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=test issuer");
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(60)),
        Date.from(now.plus(Duration.ofHours(1))), name, keys.getPublic());
    X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    return new RegistryTokenIssuer("test-issuer", "test-service", (ECPrivateKey) keys.getPrivate(), certificate,
        credentials, access, Duration.ofMinutes(5));
  }

  @Test
  void accessGrantsEachRepositoryScope() {
    List<Map<String, Object>> access = RegistryTokenIssuer.access(
        List.of("repository:app/web:pull,push", "repository:base:pull"));

    assertEquals(2, access.size());
    assertEquals("repository", access.get(0).get("type"));
    assertEquals("app/web", access.get(0).get("name"));
    assertEquals(List.of("pull", "push"), access.get(0).get("actions"));
    assertEquals("base", access.get(1).get("name"));
    assertEquals(List.of("pull"), access.get(1).get("actions"));
  }

  @Test
  void accessKeepsPortInRepositoryName() {
    List<Map<String, Object>> access =
        RegistryTokenIssuer.access(List.of("repository:host:5000/app:pull"));

    assertEquals("host:5000/app", access.get(0).get("name"));
    assertEquals(List.of("pull"), access.get(0).get("actions"));
  }

  @Test
  void accessSkipsOtherScopeTypes() {
    assertEquals(List.of(), RegistryTokenIssuer.access(List.of("registry:catalog:*", "bogus")));
  }
}
