package dev.depotrunner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a loopback HTTP server that answers as a Docker Engine does. */
@Timeout(30)
class DockerEngineClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private HttpServer server;
  private DockerEngineClient client;
  private final ConcurrentHashMap<String, String> seen = new ConcurrentHashMap<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.start();
    client = new DockerEngineClient(EngineConnector.tcp("127.0.0.1", server.getAddress().getPort()));
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    // Length 0 makes the JDK server send the body chunked, as the engine sends its message streams.
    exchange.sendResponseHeaders(status, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Test
  void loadStreamsChunkedBodyBeforeItEnds() throws Exception {
    byte[] archive = new byte[3 * 1024 * 1024];
    new Random(7).nextBytes(archive);
    var firstBytesArrived = new CountDownLatch(1);
    var received = new byte[1][];
    server.createContext("/images/load", exchange -> {
      seen.put("query", exchange.getRequestURI().getQuery());
      seen.put("transfer-encoding", String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding")));
      seen.put("content-type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
      InputStream body = exchange.getRequestBody();
      byte[] start = body.readNBytes(1024 * 1024);
      firstBytesArrived.countDown();
      byte[] rest = body.readAllBytes();
      byte[] all = new byte[start.length + rest.length];
      System.arraycopy(start, 0, all, 0, start.length);
      System.arraycopy(rest, 0, all, start.length, rest.length);
      received[0] = all;
      reply(exchange, 200, "{\"stream\":\"Loaded image: engineio-app:latest\\n\"}\n");
    });

    List<String> output;
    try (ImageLoad load = client.startLoad()) {
      load.archive().write(archive, 0, 2 * 1024 * 1024);
      load.archive().flush();
      assertTrue(firstBytesArrived.await(10, TimeUnit.SECONDS), "the engine got no bytes before the upload ended");
      load.archive().write(archive, 2 * 1024 * 1024, archive.length - 2 * 1024 * 1024);
      output = load.finish();
    }

    assertEquals(List.of("Loaded image: engineio-app:latest"), output);
    assertArrayEquals(archive, received[0]);
    assertEquals("chunked", seen.get("transfer-encoding"));
    assertEquals("application/x-tar", seen.get("content-type"));
    assertEquals("quiet=1", seen.get("query"));
  }

  @Test
  void loadErrorInStreamRaisesEngineException() throws Exception {
    server.createContext("/images/load", exchange -> {
      exchange.getRequestBody().readAllBytes();
      reply(exchange, 200, "{\"errorDetail\":{\"message\":\"unexpected EOF\"},\"error\":\"unexpected EOF\"}\n");
    });

    EngineException error = assertThrows(EngineException.class, () -> client.loadImage(InputStream.nullInputStream()));

    assertEquals("loading the image into the Docker Engine at " + client.connector() + " failed: unexpected EOF", error.getMessage());
    assertEquals(0, error.status());
  }

  @Test
  void pushSendsRegistryAuthAndReturnsDigest() throws Exception {
    server.createContext("/images/", exchange -> {
      seen.put("method", exchange.getRequestMethod());
      seen.put("path", exchange.getRequestURI().getRawPath());
      seen.put("query", exchange.getRequestURI().getRawQuery());
      seen.put("auth", exchange.getRequestHeaders().getFirst("X-Registry-Auth"));
      reply(exchange, 200, String.join("\n",
          "{\"status\":\"The push refers to repository [127.0.0.1:5000/engineio-app]\"}",
          "{\"status\":\"Pushing\",\"progressDetail\":{\"current\":512,\"total\":1024},\"progress\":\"[==>   ]\",\"id\":\"3f2a\"}",
          "{\"status\":\"Pushed\",\"progressDetail\":{},\"id\":\"3f2a\"}",
          "{\"status\":\"v1: digest: " + DIGEST + " size: 528\"}",
          "{\"progressDetail\":{},\"aux\":{\"Tag\":\"v1\",\"Digest\":\"" + DIGEST + "\",\"Size\":528}}",
          ""));
    });
    List<JsonMessage> progress = new ArrayList<>();
    var auth = new RegistryAuth("ci", "s3cret", "127.0.0.1:5000", "", "");

    String digest = client.pushImage("127.0.0.1:5000/engineio-app", "v1", auth, progress::add);

    assertEquals(DIGEST, digest);
    assertEquals("POST", seen.get("method"));
    assertEquals("/images/127.0.0.1:5000/engineio-app/push", seen.get("path"));
    assertEquals("tag=v1", seen.get("query"));
    JsonNode decoded = JSON.readTree(Base64.getUrlDecoder().decode(seen.get("auth")));
    assertEquals("ci", decoded.path("username").asText());
    assertEquals("s3cret", decoded.path("password").asText());
    assertEquals("127.0.0.1:5000", decoded.path("serveraddress").asText());
    assertEquals(5, progress.size());
    assertEquals(512, progress.get(1).current());
    assertEquals(1024, progress.get(1).total());
  }

  @Test
  void pushErrorDetailIsOneLineAndHidesCredentials() {
    server.createContext("/images/", exchange -> reply(exchange, 200, String.join("\n",
        "{\"status\":\"The push refers to repository [127.0.0.1:5999/engineio-app]\"}",
        "{\"errorDetail\":{\"message\":\"Get \\\"http://127.0.0.1:5999/v2/\\\": dial tcp 127.0.0.1:5999:\\nconnect: connection refused\"},"
            + "\"error\":\"Get http://127.0.0.1:5999/v2/: connection refused\"}",
        "")));
    var auth = new RegistryAuth("ci", "s3cret", "127.0.0.1:5999", "", "");

    EngineException error = assertThrows(
        EngineException.class, () -> client.pushImage("127.0.0.1:5999/engineio-app", "v1", auth, message -> {}));

    assertEquals(
        "pushing 127.0.0.1:5999/engineio-app:v1 through the Docker Engine at " + client.connector()
            + " failed: Get \"http://127.0.0.1:5999/v2/\": dial tcp 127.0.0.1:5999: connect: connection refused",
        error.getMessage());
    assertFalse(error.getMessage().contains("s3cret"));
  }

  @Test
  void errorStatusCarriesEngineMessage() {
    server.createContext("/images/", exchange ->
        reply(exchange, 500, "{\"message\":\"write /var/lib/docker/tmp: no space left on device\"}"));

    EngineException error = assertThrows(
        EngineException.class, () -> client.pullImage("engineio-base", "latest", RegistryAuth.anonymous(), message -> {}));

    assertEquals(500, error.status());
    assertTrue(error.getMessage().endsWith("failed: HTTP 500: write /var/lib/docker/tmp: no space left on device"), error.getMessage());
  }

  @Test
  void pullSendsImageAndTag() throws Exception {
    server.createContext("/images/create", exchange -> {
      seen.put("query", exchange.getRequestURI().getRawQuery());
      reply(exchange, 200, "{\"status\":\"Pulling from engineio/base\",\"id\":\"latest\"}{\"status\":\"Status: Image is up to date\"}");
    });
    List<JsonMessage> progress = new ArrayList<>();

    client.pullImage("127.0.0.1:5000/engineio/base", "latest", RegistryAuth.anonymous(), progress::add);

    assertEquals("fromImage=127.0.0.1%3A5000%2Fengineio%2Fbase&tag=latest", seen.get("query"));
    assertEquals(2, progress.size());
  }

  @Test
  void inspectFindsImageOrNothing() throws Exception {
    server.createContext("/images/engineio-app:v1/json", exchange -> reply(exchange, 200,
        "{\"Id\":\"" + DIGEST + "\",\"RepoTags\":[\"engineio-app:v1\"],\"RepoDigests\":[]}"));
    server.createContext("/images/engineio-missing/json", exchange ->
        reply(exchange, 404, "{\"message\":\"No such image: engineio-missing:latest\"}"));

    Optional<ImageDetails> found = client.inspectImage("engineio-app:v1");
    Optional<ImageDetails> missing = client.inspectImage("engineio-missing");

    assertEquals(DIGEST, found.orElseThrow().id());
    assertEquals(List.of("engineio-app:v1"), found.orElseThrow().repoTags());
    assertTrue(missing.isEmpty());
  }

  @Test
  void pingAndVersionRead() throws Exception {
    server.createContext("/_ping", exchange -> {
      exchange.getResponseHeaders().add("Api-Version", "1.41");
      byte[] ok = "OK".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    server.createContext("/version", exchange ->
        reply(exchange, 200, "{\"Version\":\"20.10.27\",\"ApiVersion\":\"1.41\",\"MinAPIVersion\":\"1.12\"}"));

    assertEquals("1.41", client.ping());
    assertEquals(new EngineVersion("20.10.27", "1.41", "1.12"), client.version());
  }

  @Test
  void unreachableEngineNamesAddressAndFix() throws Exception {
    server.stop(0);
    var closed = new DockerEngineClient(EngineConnector.tcp("127.0.0.1", server.getAddress().getPort()));

    EngineException error = assertThrows(EngineException.class, closed::ping);

    assertTrue(error.getMessage().startsWith("pinging the Docker Engine at tcp://127.0.0.1:"), error.getMessage());
    assertTrue(error.getMessage().endsWith("check that the engine runs and that DOCKER_HOST names it"), error.getMessage());
  }

  @Test
  void pathSegmentKeepsNameSeparators() {
    assertEquals("127.0.0.1:5000/app@sha256:ab", DockerEngineClient.pathSegment("127.0.0.1:5000/app@sha256:ab"));
    assertEquals("a%20b%3Fc", DockerEngineClient.pathSegment("a b?c"));
  }
}
