package dev.depotrunner.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status line and headers of an HTTP/1.1 response from a Docker Engine: before a body, or before
 * the engine switches the connection to HTTP/2.
 *
 * @param length the head's size in bytes, including the blank line that ends it
 */
public record HttpResponseHead(int status, String reason, Map<String, List<String>> headers, int length) {

  /** Maximum head length accepted, in bytes. Docker Engine heads are a few hundred bytes. */
  static final int MAX_LENGTH = 64 * 1024;

  /**
   * Parses the head at the start of {@code buffer} (from its position to its limit) without consuming
   * it. Returns null while the blank line that ends the head has not arrived.
   *
   * @throws IllegalArgumentException if the bytes are not an HTTP/1.x response head
   */
  public static HttpResponseHead parse(ByteBuffer buffer) {
    int end = findHeadEnd(buffer);
    if (end < 0) {
      if (buffer.remaining() > MAX_LENGTH) {
        throw new IllegalArgumentException("HTTP response head longer than " + MAX_LENGTH + " bytes");
      }
      return null;
    }

    int length = end - buffer.position();
    byte[] bytes = new byte[length];
    buffer.duplicate().get(bytes);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
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
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Returns the body length from {@code Content-Length}, or -1 if the header is absent or invalid. */
  public long contentLength() {
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

  /** Returns whether the body uses the chunked transfer coding. */
  public boolean chunked() {
    String value = header("Transfer-Encoding");
    return value != null && value.toLowerCase(Locale.ROOT).contains("chunked");
  }

  /** Returns the index of the first byte of the CRLF CRLF that ends the head, or -1. */
  private static int findHeadEnd(ByteBuffer buffer) {
    for (int i = buffer.position(); i + 3 < buffer.limit(); i++) {
      if (buffer.get(i) == '\r' && buffer.get(i + 1) == '\n' && buffer.get(i + 2) == '\r' && buffer.get(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }
}
