package dev.depotrunner.controlplane.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against the token registry of scripts/local-env, which must trust this issuer's key. */
class RegistryTokenIssuerIT {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  private static RegistryTokenIssuer issuer;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    issuer = RegistryTokenIssuer.fromLocalEnv(System.getenv(),
        (user, password) -> user.equals("ci") && password.equals("issuer-test-password"));
    String[] address = System.getenv("DEPOT_RUNNER_TOKEN_ISSUER_ADDR").split(":");
    server = issuer.serve(new InetSocketAddress(address[0], Integer.parseInt(address[1])));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void registryAcceptsIssuedToken() throws Exception {
    String token = issuer.issue("ci", RegistryTokenIssuer.access(
        List.of("repository:registry/issuer-test:pull,push")));

    HttpResponse<String> response = get(registry("/v2/"), "Bearer " + token);

    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void realmIssuesTokenForValidCredentials() throws Exception {
    String realm = System.getenv("DEPOT_RUNNER_TOKEN_ISSUER_REALM");
    URI uri = URI.create(realm + "?service=" + System.getenv("DEPOT_RUNNER_TOKEN_SERVICE")
        + "&scope=repository:registry/issuer-test:pull");

    HttpResponse<String> response = get(uri, basic("ci", "issuer-test-password"));

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"token\":\""), response.body());
  }

  @Test
  void realmRejectsWrongPassword() throws Exception {
    URI uri = URI.create(System.getenv("DEPOT_RUNNER_TOKEN_ISSUER_REALM") + "?scope=repository:a:pull");

    HttpResponse<String> wrong = get(uri, basic("ci", "not-the-password"));
    HttpResponse<String> missing = get(uri, null);

    assertEquals(401, wrong.statusCode());
    assertEquals(401, missing.statusCode());
  }

  @Test
  void registryRejectsTokenWithoutGrant() throws Exception {
    String token = issuer.issue("ci", List.of(Map.of(
        "type", "repository", "name", "registry/other", "actions", List.of("pull"))));
    URI tags = registry("/v2/registry/issuer-test/tags/list");

    HttpResponse<String> response = get(tags, "Bearer " + token);

    assertEquals(401, response.statusCode(), response.body());
  }

  private static URI registry(String path) {
    return URI.create("http://" + System.getenv("DEPOT_RUNNER_TOKEN_REGISTRY") + path);
  }

  private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
