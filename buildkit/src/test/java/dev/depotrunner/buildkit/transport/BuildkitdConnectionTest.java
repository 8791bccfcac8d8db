package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.proto.control.ControlGrpc;
import dev.depotrunner.buildkit.proto.control.ListWorkersRequest;
import dev.depotrunner.buildkit.session.Session;
import dev.depotrunner.buildkit.transport.FakeBuildkitd.FakeSession;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the buildkitd transport against {@link FakeBuildkitd} on a unix socket: the Control API,
 * and sessions carried over Control.Session in both directions.
 */
@Timeout(120)
class BuildkitdConnectionTest {

  @TempDir Path dir;
  private FakeBuildkitd buildkitd;
  private BuilderEndpoint endpoint;

  @BeforeEach
  void startBuildkitd() throws Exception {
    Path socket = dir.resolve("buildkitd.sock");
    buildkitd = FakeBuildkitd.onUnixSocket(socket);
    endpoint = BuilderEndpoint.parse("unix://" + socket, Map.of());
  }

  @AfterEach
  void stopBuildkitd() throws Exception {
    buildkitd.close();
  }

  private static Session sessionWith(BytesService service, String name) {
    return Session.builder(name).service(service.definition()).build();
  }

  @Test
  void openReadsVersionAndCallsControl() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(endpoint)) {
      var workers =
          ControlGrpc.newBlockingStub(connection.channel())
              .listWorkers(ListWorkersRequest.getDefaultInstance());

      assertEquals(FakeBuildkitd.VERSION, connection.version().buildkit().orElseThrow());
      assertEquals("fake", workers.getRecord(0).getID());
      assertEquals(endpoint.toString(), connection.description());
    }
  }

  @Test
  void nioTransportCarriesSession() throws Exception {
    try (BuilderConnection connection =
            BuilderConnections.open(endpoint, BuilderConnections.DEFAULT_TIMEOUT, false);
        AttachedSession attached = connection.attach(sessionWith(new BytesService(), "nio"))) {
      FakeSession fake = buildkitd.awaitSession();

      var response =
          HealthGrpc.newBlockingStub(fake.channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());

      assertEquals(FakeBuildkitd.VERSION, connection.version().buildkit().orElseThrow());
      assertEquals(ServingStatus.SERVING, response.getStatus());
    }
  }

  @Test
  void attachSendsSessionHeaders() throws Exception {
    Session session = sessionWith(new BytesService(), "contexte-été");

    try (BuilderConnection connection = BuilderConnections.open(endpoint);
        AttachedSession attached = connection.attach(session)) {
      FakeSession fake = buildkitd.awaitSession();

      assertEquals(session.id(), fake.header("x-docker-expose-session-uuid"));
      assertEquals("contexte-%C3%A9t%C3%A9", fake.header("x-docker-expose-session-name"));
      assertEquals(session.sharedKey(), fake.header("x-docker-expose-session-sharedkey"));
      List<String> methods = new ArrayList<>();
      fake.headerValues("x-docker-expose-session-grpc-method").forEach(methods::add);
      assertTrue(methods.contains("/test.Bytes/Echo"), methods.toString());
      assertTrue(methods.contains("/test.Bytes/Download"), methods.toString());
      assertTrue(methods.contains("/grpc.health.v1.Health/Check"), methods.toString());
    }
  }

  @Test
  void attachServesHealthCheck() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(endpoint);
        AttachedSession attached = connection.attach(sessionWith(new BytesService(), "health"))) {
      FakeSession fake = buildkitd.awaitSession();

      var response =
          HealthGrpc.newBlockingStub(fake.channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());

      assertEquals(ServingStatus.SERVING, response.getStatus());
    }
  }

  @Test
  void echoCarriesLargePayloadBothWays() throws Exception {
    int chunks = 1024;
    int chunkBytes = 32 * 1024;

    try (BuilderConnection connection = BuilderConnections.open(endpoint);
        AttachedSession attached = connection.attach(sessionWith(new BytesService(), "echo"))) {
      FakeSession fake = buildkitd.awaitSession();
      MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
      MessageDigest receivedDigest = MessageDigest.getInstance("SHA-256");
      AtomicLong receivedBytes = new AtomicLong();
      CompletableFuture<Void> finished = new CompletableFuture<>();

      StreamObserver<byte[]> requests =
          ClientCalls.asyncBidiStreamingCall(
              fake.channel.newCall(BytesService.ECHO, io.grpc.CallOptions.DEFAULT),
              new StreamObserver<>() {
                @Override
                public void onNext(byte[] value) {
                  receivedDigest.update(value);
                  receivedBytes.addAndGet(value.length);
                }

                @Override
                public void onError(Throwable t) {
                  finished.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {
                  finished.complete(null);
                }
              });
      Random random = new Random(42);
      for (int i = 0; i < chunks; i++) {
        byte[] chunk = new byte[chunkBytes];
        random.nextBytes(chunk);
        sentDigest.update(chunk);
        requests.onNext(chunk);
      }
      requests.onCompleted();
      finished.get(90, TimeUnit.SECONDS);

      assertEquals((long) chunks * chunkBytes, receivedBytes.get());
      assertArrayEquals(sentDigest.digest(), receivedDigest.digest());
    }
  }

  @Test
  void pausedBuilderBoundsBufferedBytes() throws Exception {
    long total = 256L << 20;
    BytesService service = new BytesService();

    try (BuilderConnection connection = BuilderConnections.open(endpoint);
        AttachedSession attached = connection.attach(sessionWith(service, "download"))) {
      FakeSession fake = buildkitd.awaitSession();
      AtomicLong received = new AtomicLong();
      AtomicLong mismatches = new AtomicLong();
      CompletableFuture<Void> finished = new CompletableFuture<>();

      ClientCalls.asyncServerStreamingCall(
          fake.channel.newCall(BytesService.DOWNLOAD, io.grpc.CallOptions.DEFAULT),
          BytesService.request(total),
          new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
              if (!BytesService.matchesPattern(received.get(), value)) {
                mismatches.incrementAndGet();
              }
              received.addAndGet(value.length);
            }

            @Override
            public void onError(Throwable t) {
              finished.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
              finished.complete(null);
            }
          });
      waitUntil(() -> service.downloadSent.get() > (8 << 20));
      fake.pause();
      long plateau = awaitPlateau(service.downloadSent);

      // Paused, the builder reads nothing more, so the service can only fill the buffers along the
      // way: HTTP/2 windows and socket buffers, a few MiB, not the 256 MiB it wants to send.
      long buffered = plateau - received.get();
      assertTrue(plateau < total, "sent " + plateau);
      assertTrue(buffered < (48L << 20), "buffered " + buffered + " bytes while paused");

      fake.resume();
      finished.get(90, TimeUnit.SECONDS);
      assertEquals(total, received.get());
      assertEquals(0, mismatches.get());
    }
  }

  @Test
  void closeHalfClosesAndBuilderEndsStream() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(endpoint)) {
      AttachedSession attached = connection.attach(sessionWith(new BytesService(), "close"));
      FakeSession fake = buildkitd.awaitSession();

      attached.close();

      fake.clientHalfClosed.get(10, TimeUnit.SECONDS);
      attached.done().get(10, TimeUnit.SECONDS);
      assertFalse(attached.done().isCompletedExceptionally());
    }
  }

  @Test
  void builderEndingStreamCompletesDone() throws Exception {
    try (BuilderConnection connection = BuilderConnections.open(endpoint);
        AttachedSession attached = connection.attach(sessionWith(new BytesService(), "end"))) {
      FakeSession fake = buildkitd.awaitSession();

      fake.end();

      attached.done().get(10, TimeUnit.SECONDS);
      assertFalse(attached.done().isCompletedExceptionally());
    }
  }

  @Test
  void missingSocketNamesAddressAndFix() {
    BuilderEndpoint missing = BuilderEndpoint.parse("unix://" + dir.resolve("absent.sock"), Map.of());

    BuilderConnectionException error =
        assertThrows(BuilderConnectionException.class, () -> BuilderConnections.open(missing));

    assertEquals(
        "cannot connect to BuildKit at " + missing + ": no such file;"
            + " start buildkitd, or set --builder or BUILDKIT_HOST to a running builder",
        error.getMessage());
  }

  @Test
  void socketWithoutListenerIsRefused() throws Exception {
    Path stale = Files.createFile(dir.resolve("stale.sock"));
    BuilderEndpoint refused = BuilderEndpoint.parse("unix://" + stale, Map.of());

    BuilderConnectionException error =
        assertThrows(
            BuilderConnectionException.class,
            () -> BuilderConnections.open(refused, java.time.Duration.ofSeconds(10)));

    assertTrue(
        error.getMessage().startsWith("cannot connect to BuildKit at " + refused + ": connection refused;"),
        error.getMessage());
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60s");
      }
      Thread.sleep(20);
    }
  }

  /** Waits until the counter stays unchanged for a second and returns its value. */
  private static long awaitPlateau(AtomicLong counter) throws InterruptedException {
    long last = -1;
    long current = counter.get();
    while (current != last) {
      last = current;
      Thread.sleep(1000);
      current = counter.get();
    }
    return current;
  }
}
