package dev.depotrunner.buildkit.transport;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status line and headers of an HTTP/1.1 response, parsed from the bytes a Docker Engine sends
 * before it switches the connection to HTTP/2 or before an error body.
 */
record HttpResponseHead(int status, String reason, Map<String, List<String>> headers, int length) {

  /** Maximum head length accepted, in bytes. Docker Engine heads are a few hundred bytes. */
  static final int MAX_LENGTH = 64 * 1024;

  /**
   * Parses the head at the start of {@code buffer} without consuming it. Returns null while the blank
   * line that ends the head has not arrived.
   *
   * @throws IllegalArgumentException if the bytes are not an HTTP/1.x response head
   */
  static HttpResponseHead parse(ByteBuf buffer) {
    int end = findHeadEnd(buffer);
    if (end < 0) {
      if (buffer.readableBytes() > MAX_LENGTH) {
        throw new IllegalArgumentException("HTTP response head longer than " + MAX_LENGTH + " bytes");
      }
      return null;
    }

    int length = end - buffer.readerIndex();
    String text = buffer.toString(buffer.readerIndex(), length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");

    String statusLine = lines[0];
    if (!statusLine.startsWith("HTTP/1.")) {
      throw new IllegalArgumentException("not an HTTP/1.x response: " + abbreviate(statusLine));
    }
    String[] parts = statusLine.split(" ", 3);
    int status;
    try {
      status = Integer.parseInt(parts.length > 1 ? parts[1] : "");
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid HTTP status line: " + abbreviate(statusLine), e);
    }
    String reason = parts.length > 2 ? parts[2] : "";

    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("invalid HTTP header line: " + abbreviate(lines[i]));
      }
      String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).strip();
      headers.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
    }
    return new HttpResponseHead(status, reason, headers, length + 4);
  }

  /** Returns the first value of a header, matched case-insensitively, or null. */
  String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Returns the body length from {@code Content-Length}, or -1 if the header is absent or invalid. */
  long contentLength() {
    String value = header("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  boolean chunked() {
    String value = header("Transfer-Encoding");
    return value != null && value.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** Returns the index of the first byte of the CRLF CRLF that ends the head, or -1. */
  private static int findHeadEnd(ByteBuf buffer) {
    int[] state = {0};
    int index =
        buffer.forEachByte(
            (ByteProcessor)
                value -> {
                  boolean expected =
                      switch (state[0]) {
                        case 0, 2 -> value == '\r';
                        default -> value == '\n';
                      };
                  if (expected) {
                    state[0]++;
                  } else {
                    state[0] = value == '\r' ? 1 : 0;
                  }
                  return state[0] < 4;
                });
    return index < 0 ? -1 : index - 3;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }
}
