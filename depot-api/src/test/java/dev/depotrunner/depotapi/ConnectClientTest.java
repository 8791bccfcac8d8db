package dev.depotrunner.depotapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenRequest;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConnectClientTest {

  private static final String SECRET = "depot-secret-4242";
  private static final ApiToken TOKEN = ApiToken.of(SECRET);
  private static final String USER_AGENT = "depot-runner/test/linux/amd64/terminal";

  private static final ConnectMethod<CreateBuildRequest, CreateBuildResponse> STREAMING_METHOD =
      ConnectMethod.of("depot.test.v1.StreamService", "Follow",
          CreateBuildRequest.getDefaultInstance(), CreateBuildResponse.getDefaultInstance());

  private HttpServer server;
  private ConnectClient client;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();

  /** One request the server received. */
  record Recorded(String method, String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** How the server responds to the next requests. */
  @FunctionalInterface
  interface Responder {
    void respond(HttpExchange exchange) throws IOException;
  }

  private volatile Responder responder;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()), body));
        responder.respond(exchange);
      }
    });
    server.start();
    client = ConnectClient.create(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), USER_AGENT);
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void unary_sendsConnectRequestAndParsesResponse() throws Exception {
    var expected = CreateBuildResponse.newBuilder().setBuildId("b-1").setBuildUrl("https://depot.example/b-1").build();
    responder = exchange -> send(exchange, 200, "application/proto", expected.toByteArray());
    var request = CreateBuildRequest.newBuilder().setProjectId("p-1").build();

    CreateBuildResponse response = new BuildService(client).createBuild(request, TOKEN);

    assertEquals(expected, response);
    Recorded recorded = requests.get(0);
    assertEquals("POST", recorded.method());
    assertEquals("/depot.cli.v1.BuildService/CreateBuild", recorded.path());
    assertEquals("application/proto", recorded.header("Content-Type"));
    assertEquals("1", recorded.header("Connect-Protocol-Version"));
    assertEquals("Bearer " + SECRET, recorded.header("Authorization"));
    assertEquals(USER_AGENT, recorded.header("User-Agent"));
    assertEquals("60000", recorded.header("Connect-Timeout-Ms"));
    assertEquals(request, CreateBuildRequest.parseFrom(recorded.body()));
  }

  @Test
  void unary_acceptsContentTypeParameters() throws Exception {
    var expected = ListProjectsResponse.newBuilder()
        .addProjects(ListProjectsResponse.Project.newBuilder().setId("p-1").setName("web"))
        .build();
    responder = exchange -> send(exchange, 200, "application/proto; charset=utf-8", expected.toByteArray());

    assertEquals(expected, new ProjectsService(client).listProjects(TOKEN));
    assertEquals("/depot.cli.v1beta1.ProjectsService/ListProjects", requests.get(0).path());
  }

  @ParameterizedTest
  @EnumSource(ConnectCode.class)
  void unary_mapsEveryConnectErrorCode(ConnectCode code) {
    String body = "{\"code\":\"" + code.wireName() + "\",\"message\":\"server says no\",\"details\":[]}";
    responder = exchange -> send(exchange, code.httpStatus(), "application/json", utf8(body));

    var error = assertThrows(DepotApiException.class,
        () -> new BuildService(client).createBuild(CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(code, error.code());
    assertEquals("BuildService.CreateBuild", error.method());
    assertEquals("server says no", error.serverMessage());
    assertTrue(error.getMessage().contains("(" + code.wireName() + ": server says no)"), error.getMessage());
    assertFalse(error.getMessage().contains("\n"), error.getMessage());
  }

  @Test
  void unauthenticated_messageNamesTheFix() {
    responder = exchange -> send(exchange, 401, "application/json",
        utf8("{\"code\":\"unauthenticated\",\"message\":\"invalid token\"}"));

    var error = assertThrows(DepotApiException.class,
        () -> new BuildService(client).createBuild(CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(
        "Depot API call BuildService.CreateBuild failed (unauthenticated: invalid token);"
            + " check the token in --token or DEPOT_TOKEN, or log in again",
        error.getMessage());
  }

  @Test
  void notFound_hintDependsOnCall() throws Exception {
    responder = exchange -> send(exchange, 404, "application/json",
        utf8("{\"code\":\"not_found\",\"message\":\"not found\"}"));
    String buildHint = "; check the build ID (depot list builds shows them)";
    String projectHint = "; check the project ID in --project, DEPOT_PROJECT_ID or depot.json";
    var builds = new BuildService(client);
    var pushes = new PushService(client);

    var pullInfo = assertThrows(DepotApiException.class,
        () -> builds.getPullInfo(GetPullInfoRequest.newBuilder().setBuildId("build99-nope").build(), TOKEN));
    var pullToken = assertThrows(DepotApiException.class,
        () -> builds.getPullToken(GetPullTokenRequest.newBuilder().setBuildId("build99-nope").build(), TOKEN));
    var startPush = assertThrows(DepotApiException.class, () -> pushes.startPush(
        StartPushRequest.newBuilder().setBuildId("build99-nope").setTag("x").build(), TOKEN));
    var projectPullToken = assertThrows(DepotApiException.class,
        () -> builds.getPullToken(GetPullTokenRequest.newBuilder().setProjectId("p1").build(), TOKEN));
    var createBuild = assertThrows(DepotApiException.class,
        () -> builds.createBuild(CreateBuildRequest.newBuilder().setProjectId("p1").build(), TOKEN));

    assertTrue(pullInfo.getMessage().endsWith(buildHint), pullInfo.getMessage());
    assertTrue(pullToken.getMessage().endsWith(buildHint), pullToken.getMessage());
    assertTrue(startPush.getMessage().endsWith(buildHint), startPush.getMessage());
    assertTrue(projectPullToken.getMessage().endsWith(projectHint), projectPullToken.getMessage());
    assertTrue(createBuild.getMessage().endsWith(projectHint), createBuild.getMessage());
  }

  @Test
  void messageWithHint_replacesTheHint() {
    responder = exchange -> send(exchange, 404, "application/json",
        utf8("{\"code\":\"not_found\",\"message\":\"project p9 not found\"}"));

    var error = assertThrows(DepotApiException.class,
        () -> new BuildService(client).createBuild(CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals("Depot API call BuildService.CreateBuild failed (not_found: project p9 not found); check p9",
        error.messageWithHint("check p9"));
  }

  @Test
  void unknownWireCode_becomesUnknown() {
    responder = exchange -> send(exchange, 500, "application/json", utf8("{\"code\":\"teapot\",\"message\":\"x\"}"));

    var error = assertThrows(DepotApiException.class,
        () -> client.unary(BuildService.CREATE_BUILD, CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(ConnectCode.UNKNOWN, error.code());
  }

  @Test
  void errorWithoutJson_mapsHttpStatus() {
    Map<Integer, ConnectCode> table = Map.of(
        400, ConnectCode.INTERNAL,
        401, ConnectCode.UNAUTHENTICATED,
        403, ConnectCode.PERMISSION_DENIED,
        404, ConnectCode.UNIMPLEMENTED,
        429, ConnectCode.UNAVAILABLE,
        502, ConnectCode.UNAVAILABLE,
        503, ConnectCode.UNAVAILABLE,
        504, ConnectCode.UNAVAILABLE,
        418, ConnectCode.UNKNOWN,
        500, ConnectCode.UNKNOWN);
    for (var entry : table.entrySet()) {
      responder = exchange -> send(exchange, entry.getKey(), "text/html", utf8("<html>bad gateway</html>"));

      var error = assertThrows(DepotApiException.class,
          () -> client.unary(BuildService.CREATE_BUILD, CreateBuildRequest.getDefaultInstance(), TOKEN));

      assertEquals(entry.getValue(), error.code(), "HTTP " + entry.getKey());
      assertTrue(error.getMessage().contains("HTTP status " + entry.getKey()), error.getMessage());
    }
  }

  @Test
  void wrongContentType_isInternal() {
    responder = exchange -> send(exchange, 200, "text/plain", utf8("hello"));

    var error = assertThrows(DepotApiException.class,
        () -> client.unary(BuildService.CREATE_BUILD, CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(ConnectCode.INTERNAL, error.code());
    assertTrue(error.getMessage().contains("text/plain"), error.getMessage());
  }

  @Test
  void malformedMessage_isInternal() {
    responder = exchange -> send(exchange, 200, "application/proto", new byte[] {(byte) 0xff, (byte) 0xff, 0x01});

    var error = assertThrows(DepotApiException.class,
        () -> client.unary(BuildService.CREATE_BUILD, CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(ConnectCode.INTERNAL, error.code());
  }

  @Test
  void serverMessageWithToken_isRedacted() {
    responder = exchange -> send(exchange, 401, "application/json",
        utf8("{\"code\":\"unauthenticated\",\"message\":\"token " + SECRET + " expired\"}"));

    var error = assertThrows(DepotApiException.class,
        () -> client.unary(BuildService.CREATE_BUILD, CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertFalse(error.getMessage().contains(SECRET), error.getMessage());
    assertFalse(error.serverMessage().contains(SECRET));
    assertTrue(error.getMessage().contains("token *** expired"), error.getMessage());
  }

  @Test
  void unreachableServer_isUnavailable() throws IOException {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    var closed = ConnectClient.create(URI.create("http://127.0.0.1:" + port), USER_AGENT);

    var error = assertThrows(DepotApiException.class,
        () -> closed.unary(BuildService.CREATE_BUILD, CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(ConnectCode.UNAVAILABLE, error.code());
    assertTrue(error.getMessage().contains("cannot reach http://127.0.0.1:" + port), error.getMessage());
    assertTrue(error.getMessage().endsWith("check DEPOT_API_URL and the network, then retry"), error.getMessage());
  }

  @Test
  void slowServer_isDeadlineExceeded() {
    responder = exchange -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      send(exchange, 200, "application/proto", new byte[0]);
    };
    var impatient = client.withCallTimeout(Duration.ofMillis(300));

    var error = assertThrows(DepotApiException.class,
        () -> impatient.unary(BuildService.CREATE_BUILD, CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(ConnectCode.DEADLINE_EXCEEDED, error.code());
  }

  private static byte[] envelopes(Envelope... envelopes) {
    var out = new ByteArrayOutputStream();
    for (Envelope envelope : envelopes) {
      out.writeBytes(envelope.toBytes());
    }
    return out.toByteArray();
  }

  private static void sendStream(HttpExchange exchange, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/connect+proto");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Test
  void serverStream_readsMessagesUntilEndOfStream() throws Exception {
    var first = CreateBuildResponse.newBuilder().setBuildId("b-1").build();
    var second = CreateBuildResponse.newBuilder().setBuildId("b-2").build();
    responder = exchange -> sendStream(exchange, envelopes(
        new Envelope(0, first.toByteArray()),
        new Envelope(0, second.toByteArray()),
        new Envelope(Envelope.END_STREAM, utf8("{\"metadata\":{\"x-trailer\":[\"1\"]}}"))));
    var request = CreateBuildRequest.newBuilder().setProjectId("p-1").build();

    try (var stream = client.serverStream(STREAMING_METHOD, request, TOKEN)) {
      assertEquals(Optional.of(first), stream.next());
      assertEquals(Optional.of(second), stream.next());
      assertEquals(Optional.empty(), stream.next());
      assertEquals(Optional.empty(), stream.next());
    }

    Recorded recorded = requests.get(0);
    assertEquals("/depot.test.v1.StreamService/Follow", recorded.path());
    assertEquals("application/connect+proto", recorded.header("Content-Type"));
    assertEquals("1", recorded.header("Connect-Protocol-Version"));
    assertEquals("Bearer " + SECRET, recorded.header("Authorization"));
    assertEquals(USER_AGENT, recorded.header("User-Agent"));
    Envelope sent = Envelope.read(new java.io.ByteArrayInputStream(recorded.body()));
    assertEquals(0, sent.flags());
    assertEquals(request, CreateBuildRequest.parseFrom(sent.payload()));
  }

  @Test
  void serverStream_endOfStreamErrorThrows() throws Exception {
    var first = CreateBuildResponse.newBuilder().setBuildId("b-1").build();
    responder = exchange -> sendStream(exchange, envelopes(
        new Envelope(0, first.toByteArray()),
        new Envelope(Envelope.END_STREAM, utf8("{\"error\":{\"code\":\"resource_exhausted\",\"message\":\"quota\"}}"))));

    try (var stream = client.serverStream(STREAMING_METHOD, CreateBuildRequest.getDefaultInstance(), TOKEN)) {
      assertEquals(Optional.of(first), stream.next());
      var error = assertThrows(DepotApiException.class, stream::next);
      assertEquals(ConnectCode.RESOURCE_EXHAUSTED, error.code());
      assertEquals("quota", error.serverMessage());
    }
  }

  @Test
  void serverStream_missingEndOfStreamIsInternal() throws Exception {
    responder = exchange -> sendStream(exchange, new byte[0]);

    try (var stream = client.serverStream(STREAMING_METHOD, CreateBuildRequest.getDefaultInstance(), TOKEN)) {
      var error = assertThrows(DepotApiException.class, stream::next);
      assertEquals(ConnectCode.INTERNAL, error.code());
      assertTrue(error.getMessage().contains("without an end-of-stream message"), error.getMessage());
    }
  }

  @Test
  void serverStream_truncatedEnvelopeIsUnavailable() throws Exception {
    responder = exchange -> sendStream(exchange, new byte[] {0, 0, 0, 0, 10, 1, 2});

    try (var stream = client.serverStream(STREAMING_METHOD, CreateBuildRequest.getDefaultInstance(), TOKEN)) {
      var error = assertThrows(DepotApiException.class, stream::next);
      assertEquals(ConnectCode.UNAVAILABLE, error.code());
    }
  }

  @Test
  void serverStream_compressedMessageIsInternal() throws Exception {
    responder = exchange -> sendStream(exchange, envelopes(new Envelope(Envelope.COMPRESSED, new byte[] {1})));

    try (var stream = client.serverStream(STREAMING_METHOD, CreateBuildRequest.getDefaultInstance(), TOKEN)) {
      var error = assertThrows(DepotApiException.class, stream::next);
      assertEquals(ConnectCode.INTERNAL, error.code());
    }
  }

  @Test
  void serverStream_httpErrorBeforeStreamingThrows() {
    responder = exchange -> send(exchange, 403, "application/json",
        utf8("{\"code\":\"permission_denied\",\"message\":\"not your project\"}"));

    var error = assertThrows(DepotApiException.class,
        () -> client.serverStream(STREAMING_METHOD, CreateBuildRequest.getDefaultInstance(), TOKEN));

    assertEquals(ConnectCode.PERMISSION_DENIED, error.code());
  }

  @Test
  void fromEnvironment_readsDepotApiUrl() {
    var configured = ConnectClient.fromEnvironment(Map.of("DEPOT_API_URL", "http://127.0.0.1:9/api/"), USER_AGENT);
    var fallback = ConnectClient.fromEnvironment(Map.of(), USER_AGENT);

    assertEquals(URI.create("http://127.0.0.1:9/api"), configured.baseUrl());
    assertEquals(ConnectClient.DEFAULT_BASE_URL, fallback.baseUrl());
  }

  @Test
  void fromEnvironment_rejectsOtherSchemes() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> ConnectClient.fromEnvironment(Map.of("DEPOT_API_URL", "ftp://127.0.0.1"), USER_AGENT));

    assertTrue(error.getMessage().startsWith("invalid DEPOT_API_URL \"ftp://127.0.0.1\""), error.getMessage());
  }

  @Test
  void token_toStringHidesSecret() {
    assertEquals("ApiToken[***]", TOKEN.toString());
    assertThrows(IllegalArgumentException.class, () -> ApiToken.of(" "));
    assertThrows(IllegalArgumentException.class, () -> ApiToken.of("abc\ndef"));
  }

  @Test
  void userAgent_namesProductVersionPlatformAndCi() {
    assertEquals("depot-runner/1.2.3/linux/amd64/ci", UserAgent.of("1.2.3", "Linux", "amd64", true));
    assertEquals("depot-runner/dev/darwin/arm64/terminal", UserAgent.of("dev", "Mac OS X", "aarch64", false));
    assertEquals("depot-runner/dev/windows/amd64/terminal", UserAgent.of("dev", "Windows 11", "x86_64", false));
  }
}
