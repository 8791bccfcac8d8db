package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ConnectFailuresTest {

  @Test
  void describeStatus_namesNonHttp2Peer() {
    Status status = Status.INTERNAL.withDescription(
        "http2 exception\nio.netty.handler.codec.http2.Http2Exception: First received frame was not SETTINGS."
            + " Hex dump for first 5 bytes: 485454502f");

    assertEquals(
        "it does not speak gRPC over HTTP/2; check that the address is a BuildKit endpoint",
        ConnectFailures.describeStatus(status));
  }

  @Test
  void describeStatus_findsNonHttp2PeerInCause() {
    Status status = Status.INTERNAL.withDescription("http2 exception")
        .withCause(new IllegalStateException("First received frame was not SETTINGS. Hex dump: 485454502f"));

    assertEquals(
        "it does not speak gRPC over HTTP/2; check that the address is a BuildKit endpoint",
        ConnectFailures.describeStatus(status));
  }

  @Test
  void describeStatus_keepsFirstLineShort() {
    Status status = Status.INTERNAL.withDescription("x".repeat(500) + "\n\tat io.netty.Frame.read(Frame.java:1)");

    String reason = ConnectFailures.describeStatus(status);

    assertTrue(reason.startsWith("INTERNAL: xxx"), reason);
    assertTrue(reason.endsWith("..."), reason);
    assertEquals(-1, reason.indexOf('\n'));
  }

  @Test
  void describeStatus_withoutDescriptionNamesCode() {
    assertEquals("UNIMPLEMENTED", ConnectFailures.describeStatus(Status.UNIMPLEMENTED));
  }
}
