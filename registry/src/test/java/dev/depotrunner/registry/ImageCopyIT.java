package dev.depotrunner.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.controlplane.registry.RegistryTokenIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Copies a generated two-platform index with attestations between the registries of
 * scripts/local-env: the open one, the Basic auth one and the token one.
 */
class ImageCopyIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RetryPolicy FAST_RETRIES =
      new RetryPolicy(6, Duration.ofMillis(20), Duration.ofMillis(100));

  private static String plain;
  private static String auth;
  private static String user;
  private static String password;
  private static String prefix;
  private static TestImage image;

  @BeforeAll
  static void pushSourceImage() throws Exception {
    plain = requiredVariable("LOCAL_REGISTRY");
    auth = requiredVariable("DEPOT_RUNNER_AUTH_REGISTRY");
    user = requiredVariable("DEPOT_RUNNER_AUTH_REGISTRY_USER");
    password = Files.readString(Path.of(requiredVariable("DEPOT_RUNNER_AUTH_REGISTRY_PASSWORD_FILE")));
    prefix = "registry/copy-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    image = TestImage.push(plain, prefix + "/source", "multi");
  }

  @Test
  void copyToBasicAuthRegistryKeepsIndex() throws Exception {
    ImageName target = ImageName.parse(auth + "/" + prefix + "/basic:v1");
    ConcurrentLinkedQueue<CopyEvent> events = new ConcurrentLinkedQueue<>();

    CopyResult result = copier(pushCredentials(password), events::add)
        .copy(image.name("multi"), Optional.empty(), List.of(target));

    assertEquals(image.indexDigest, result.digest());
    assertEquals(Manifest.OCI_INDEX, result.mediaType());
    assertEquals(8, result.blobsUploaded());
    assertEquals(5, result.manifests());
    HttpResponse<byte[]> index = getManifest(auth, prefix + "/basic", "v1", basic(user, password));
    assertEquals(200, index.statusCode());
    assertArrayEquals(image.indexBytes, index.body());
    assertEquals(image.indexDigest, index.headers().firstValue("Docker-Content-Digest").orElse(""));
    for (String manifest : image.manifestDigests) {
      assertEquals(200, getManifest(auth, prefix + "/basic", manifest, basic(user, password))
          .statusCode(), manifest);
    }
    assertEquals(2, countAttestations(index.body()));
    assertTrue(events.stream().anyMatch(event -> event instanceof CopyEvent.BlobProgress progress
        && progress.bytesSent() > 0 && progress.bytesSent() < progress.size()));
  }

  @Test
  void secondCopyUploadsNothing() throws Exception {
    ImageName target = ImageName.parse(auth + "/" + prefix + "/again:v1");
    ImageCopy copier = copier(pushCredentials(password), event -> {});
    CopyResult first = copier.copy(image.name("multi"), Optional.empty(), List.of(target));
    ConcurrentLinkedQueue<CopyEvent> events = new ConcurrentLinkedQueue<>();

    CopyResult second = copier(pushCredentials(password), events::add)
        .copy(image.name("multi"), Optional.empty(), List.of(target));

    assertEquals(8, first.blobsUploaded());
    assertEquals(first.digest(), second.digest());
    assertEquals(0, second.blobsUploaded());
    assertEquals(0, second.bytesUploaded());
    assertEquals(0, second.manifests());
    assertEquals(8, second.blobsExisting());
    assertFalse(events.stream().anyMatch(event -> event instanceof CopyEvent.BlobProgress));
  }

  @Test
  void copyWithinRegistryMountsBlobs() throws Exception {
    ImageName first = ImageName.parse(plain + "/" + prefix + "/mounted-a:v1");
    ImageName second = ImageName.parse(plain + "/" + prefix + "/mounted-b:v1");

    CopyResult result = copier(Credentials.fromEnvironment(Map.of()), event -> {})
        .copy(image.name("multi"), Optional.empty(), List.of(first, second));

    assertEquals(image.indexDigest, result.digest());
    assertEquals(16, result.blobsMounted());
    assertEquals(0, result.blobsUploaded());
    assertArrayEquals(image.indexBytes, getManifest(plain, prefix + "/mounted-b", "v1", null).body());
  }

  @Test
  void copyRetriesAfterServiceUnavailable() throws Exception {
    AtomicInteger failuresLeft = new AtomicInteger(3);
    HttpServer proxy = startFlakyProxy(plain, failuresLeft);
    try {
      ImageName source = ImageName.parse("127.0.0.1:" + proxy.getAddress().getPort() + "/"
          + prefix + "/source:multi");
      ImageName target = ImageName.parse(auth + "/" + prefix + "/retried:v1");
      ConcurrentLinkedQueue<CopyEvent> events = new ConcurrentLinkedQueue<>();

      CopyResult result = copier(pushCredentials(password), events::add)
          .copy(source, Optional.empty(), List.of(target));

      assertEquals(image.indexDigest, result.digest());
      assertEquals(0, failuresLeft.get());
      assertEquals(3, events.stream().filter(event -> event instanceof CopyEvent.Retrying).count());
    } finally {
      proxy.stop(0);
    }
  }

  @Test
  void wrongPasswordNamesRegistry() {
    ImageName target = ImageName.parse(auth + "/" + prefix + "/denied:v1");
    String wrong = "not-the-password-" + prefix;

    RegistryAuthenticationException error = assertThrows(RegistryAuthenticationException.class,
        () -> copier(pushCredentials(wrong), event -> {})
            .copy(image.name("multi"), Optional.empty(), List.of(target)));

    assertTrue(error.getMessage().contains(auth), error.getMessage());
    assertTrue(error.getMessage().contains(user), error.getMessage());
    assertFalse(error.getMessage().contains(wrong), error.getMessage());
    assertFalse(error.getMessage().contains(password), error.getMessage());
    assertFalse(error.getMessage().contains("\n"), error.getMessage());
  }

  @Test
  void copyToTokenRegistryKeepsIndex() throws Exception {
    String token = requiredVariable("DEPOT_RUNNER_TOKEN_REGISTRY");
    String[] issuerAddress = requiredVariable("DEPOT_RUNNER_TOKEN_ISSUER_ADDR").split(":");
    RegistryTokenIssuer issuer = RegistryTokenIssuer.fromLocalEnv(System.getenv(),
        (name, secret) -> name.equals("x-token") && secret.equals("copy-it-token"));
    HttpServer server = issuer.serve(
        new InetSocketAddress(issuerAddress[0], Integer.parseInt(issuerAddress[1])));
    try {
      ImageName pushed = ImageName.parse(token + "/" + prefix + "/token:v1");
      ImageName mounted = ImageName.parse(token + "/" + prefix + "/token-mounted:v1");
      Credentials credentials = Credentials.fromEnvironment(Map.of(
          "DEPOT_PUSH_REGISTRY_USERNAME", "x-token",
          "DEPOT_PUSH_REGISTRY_PASSWORD", "copy-it-token"));

      CopyResult first = copier(credentials, event -> {})
          .copy(image.name("multi"), Optional.empty(), List.of(pushed));
      CopyResult second = copier(credentials, event -> {}).copy(pushed,
          Optional.of(new RegistryCredential("x-token", "copy-it-token")), List.of(mounted));

      assertEquals(image.indexDigest, first.digest());
      assertEquals(8, first.blobsUploaded());
      assertEquals(image.indexDigest, second.digest());
      assertEquals(8, second.blobsMounted());
      assertTrue(issuer.issuedTokens() >= 3, "tokens issued: " + issuer.issuedTokens());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void copyOfPlatformManifestByDigest() throws Exception {
    String platform = image.manifestDigests.get(0);
    ImageName source = ImageName.parse(plain + "/" + prefix + "/source@" + platform);
    ImageName target = ImageName.parse(auth + "/" + prefix + "/single:amd64");

    CopyResult result = copier(pushCredentials(password), event -> {})
        .copy(source, Optional.empty(), List.of(target));

    assertEquals(platform, result.digest());
    assertEquals(Manifest.OCI_MANIFEST, result.mediaType());
    assertEquals(1, result.manifests());
    HttpResponse<byte[]> pushed =
        getManifest(auth, prefix + "/single", "amd64", basic(user, password));
    assertEquals(platform, pushed.headers().firstValue("Docker-Content-Digest").orElse(""));
  }

  @Test
  void missingManifestNamesImage() {
    ImageName source = ImageName.parse(plain + "/" + prefix + "/source:no-such-tag");
    ImageName target = ImageName.parse(plain + "/" + prefix + "/never:v1");

    RegistryException error = assertThrows(RegistryException.class,
        () -> copier(Credentials.fromEnvironment(Map.of()), event -> {})
            .copy(source, Optional.empty(), List.of(target)));

    assertTrue(error.getMessage().contains("no-such-tag"), error.getMessage());
    assertTrue(error.getMessage().contains("not found"), error.getMessage());
  }

  private static ImageCopy copier(Credentials credentials, java.util.function.Consumer<CopyEvent> listener) {
    return ImageCopy.builder()
        .credentials(credentials)
        .listener(listener)
        .retryPolicy(FAST_RETRIES)
        .build();
  }

  private static Credentials pushCredentials(String secret) {
    return Credentials.fromEnvironment(Map.of(
        "DEPOT_PUSH_REGISTRY_USERNAME", user,
        "DEPOT_PUSH_REGISTRY_PASSWORD", secret));
  }

  private static long countAttestations(byte[] index) throws IOException {
    long count = 0;
    for (JsonNode entry : JSON.readTree(index).path("manifests")) {
      if (entry.path("annotations").path(TestImage.ATTESTATION_TYPE).asText("")
          .equals("attestation-manifest")) {
        count++;
      }
    }
    return count;
  }

  private static HttpResponse<byte[]> getManifest(String registry, String repository,
      String qualifier, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(
            "http://" + registry + "/v2/" + repository + "/manifests/" + qualifier))
        .header("Accept", String.join(", ", Manifest.SUPPORTED));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * Starts a loopback proxy to {@code registry} that returns 503 Service Unavailable for the
   * first {@code failuresLeft} requests and forwards the rest.
   */
  private static HttpServer startFlakyProxy(String registry, AtomicInteger failuresLeft)
      throws IOException {
    HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    proxy.createContext("/", exchange -> {
      try (exchange) {
        if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
          exchange.sendResponseHeaders(503, -1);
          return;
        }
        forward(exchange, registry);
      }
    });
    proxy.start();
    return proxy;
  }

  private static final Set<String> UNFORWARDED =
      Set.of("host", "connection", "content-length", "transfer-encoding", "upgrade");

  private static void forward(HttpExchange exchange, String registry) throws IOException {
    URI uri = URI.create("http://" + registry + exchange.getRequestURI());
    byte[] body = exchange.getRequestBody().readAllBytes();
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(
        exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!UNFORWARDED.contains(name.toLowerCase())) {
        values.forEach(value -> request.header(name, value));
      }
    });
    HttpResponse<byte[]> response;
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forwarding " + uri, e);
    }
    response.headers().map().forEach((name, values) -> {
      if (!UNFORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    boolean head = exchange.getRequestMethod().equals("HEAD");
    long length = head || response.body().length == 0 ? -1 : response.body().length;
    if (head) {
      response.headers().firstValue("Content-Length")
          .ifPresent(value -> exchange.getResponseHeaders().set("Content-Length", value));
    }
    exchange.sendResponseHeaders(response.statusCode(), length);
    if (length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  private static String basic(String name, String secret) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((name + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static String requiredVariable(String name) {
    String value = System.getenv(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(name + " is not set; run eval \"$(scripts/local-env env)\"");
    }
    return value;
  }
}
