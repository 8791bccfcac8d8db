package dev.depotrunner.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseHeadTest {

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void parseSwitchingProtocolsWithTrailingPreface() {
    ByteBuffer buffer = bytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nPRI *");

    HttpResponseHead head = HttpResponseHead.parse(buffer);

    assertEquals(101, head.status());
    assertEquals("Switching Protocols", head.reason());
    assertEquals("h2c", head.header("upgrade"));
    assertEquals(0, buffer.position());
    assertEquals("PRI *", new String(buffer.array(), head.length(), buffer.remaining() - head.length(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void parseWaitsForBlankLine() {
    assertNull(HttpResponseHead.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n")));
  }

  @Test
  void parseRepeatedHeaders() {
    HttpResponseHead head =
        HttpResponseHead.parse(bytes("HTTP/1.1 200 OK\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 12\r\n\r\n"));

    assertEquals(2, head.headers().get("x-a").size());
    assertEquals(12, head.contentLength());
  }

  @Test
  void parseRejectsNonHttp() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> HttpResponseHead.parse(bytes("SSH-2.0-OpenSSH\r\n\r\n")));

    assertTrue(error.getMessage().startsWith("not an HTTP/1.x response"), error.getMessage());
  }

  @Test
  void chunkedBodyDecodes() {
    ByteBuffer body = bytes("4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n");

    assertArrayEquals("Wikipedia".getBytes(StandardCharsets.US_ASCII), ChunkedInputStream.decode(body, false));
  }

  @Test
  void chunkedBodyWaitsForLastChunk() {
    assertNull(ChunkedInputStream.decode(bytes("4\r\nWiki\r\n5\r\npe"), false));
  }
}
