package dev.depotrunner.buildkit.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.depotrunner.buildkit.session.Session;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionHeadersTest {

  @Test
  void encodeValueKeepsPrintableAscii() {
    assertEquals("/moby.filesync.v1.FileSync/DiffCopy", SessionHeaders.encodeValue("/moby.filesync.v1.FileSync/DiffCopy"));
  }

  @Test
  void encodeValuePercentEncodesUtf8AndPercent() {
    assertEquals("contexte-%C3%A9t%C3%A9", SessionHeaders.encodeValue("contexte-été"));
    assertEquals("100%25", SessionHeaders.encodeValue("100%"));
    assertEquals("a%0Ab", SessionHeaders.encodeValue("a\nb"));
  }

  @Test
  void headersListEveryMethodInOrder() {
    Session session = Session.builder("app").sharedKey("key").build();

    List<Map.Entry<String, String>> headers = SessionHeaders.of(session, List.of("/a.A/One", "/a.A/Two"));

    assertEquals(
        List.of(
            Map.entry("X-Docker-Expose-Session-Uuid", session.id()),
            Map.entry("X-Docker-Expose-Session-Name", "app"),
            Map.entry("X-Docker-Expose-Session-Sharedkey", "key"),
            Map.entry("X-Docker-Expose-Session-Grpc-Method", "/a.A/One"),
            Map.entry("X-Docker-Expose-Session-Grpc-Method", "/a.A/Two")),
        headers);
  }
}
