package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.session.Session;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The headers that tell BuildKit who a session is and which gRPC methods it serves. They travel as
 * gRPC metadata on {@code Control.Session} and as HTTP headers on a Docker Engine's {@code POST
 * /session}; BuildKit's session manager reads them the same way from both.
 */
final class SessionHeaders {

  static final String ID = "X-Docker-Expose-Session-Uuid";
  static final String NAME = "X-Docker-Expose-Session-Name";
  static final String SHARED_KEY = "X-Docker-Expose-Session-Sharedkey";
  static final String METHOD = "X-Docker-Expose-Session-Grpc-Method";

  private SessionHeaders() {}

  /**
   * Returns the headers in order, one {@link #METHOD} entry per served method.
   *
   * <p>BuildKit defines no encoding for these values: its Go client sends them as given, and gRPC
   * metadata and HTTP/1.1 headers carry printable ASCII only. So every byte of the UTF-8 form outside
   * printable ASCII, and {@code %} itself, is percent-encoded, which keeps a session name such as
   * {@code contexte-été} intact and reversible. BuildKit v0.16 and newer ignore the name; older ones
   * only store it. The id is base-36 and the default shared key is hex, so both stay unchanged.
   */
  static List<Map.Entry<String, String>> of(Session session, List<String> methodPaths) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry(ID, encodeValue(session.id())));
    headers.add(Map.entry(NAME, encodeValue(session.name())));
    headers.add(Map.entry(SHARED_KEY, encodeValue(session.sharedKey())));
    for (String path : methodPaths) {
      headers.add(Map.entry(METHOD, encodeValue(path)));
    }
    return headers;
  }

  /** Returns the headers as gRPC metadata; gRPC lower-cases the names, as BuildKit's Go client does. */
  static Metadata toMetadata(List<Map.Entry<String, String>> headers) {
    Metadata metadata = new Metadata();
    for (Map.Entry<String, String> header : headers) {
      metadata.put(Metadata.Key.of(header.getKey(), Metadata.ASCII_STRING_MARSHALLER), header.getValue());
    }
    return metadata;
  }

  /** Percent-encodes the UTF-8 bytes of {@code value} that are not printable ASCII, and {@code %}. */
  static String encodeValue(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder encoded = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int unsigned = b & 0xff;
      if (unsigned >= 0x20 && unsigned < 0x7f && unsigned != '%') {
        encoded.append((char) unsigned);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(unsigned >> 4, 16)));
        encoded.append(Character.toUpperCase(Character.forDigit(unsigned & 0xf, 16)));
      }
    }
    return encoded.toString();
  }
}
