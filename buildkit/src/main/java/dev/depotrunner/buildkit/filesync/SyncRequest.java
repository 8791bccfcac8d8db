package dev.depotrunner.buildkit.filesync;

import io.grpc.Metadata;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the builder asks of a FileSync DiffCopy call, read from the call's gRPC headers as BuildKit's
 * {@code session/filesync} writes them: {@code dir-name}, and repeated {@code include-patterns},
 * {@code exclude-patterns} and {@code followpaths}.
 *
 * <p>When any value of a key has a non-ASCII character, BuildKit query-escapes all values of that key
 * and adds {@code <key>-encoded: 1}.
 */
record SyncRequest(String dirName, List<String> includePatterns, List<String> excludePatterns, List<String> followPaths) {

  static final String DIR_NAME = "dir-name";
  static final String INCLUDE_PATTERNS = "include-patterns";
  static final String EXCLUDE_PATTERNS = "exclude-patterns";
  static final String FOLLOW_PATHS = "followpaths";

  static SyncRequest fromHeaders(Metadata headers) {
    List<String> names = values(headers, DIR_NAME);
    return new SyncRequest(
        names.isEmpty() ? "" : names.get(0),
        values(headers, INCLUDE_PATTERNS),
        values(headers, EXCLUDE_PATTERNS),
        values(headers, FOLLOW_PATHS));
  }

  /** Returns a key's values in order, unescaped if BuildKit marked them encoded. */
  static List<String> values(Metadata headers, String key) {
    Iterable<String> raw = headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
    if (raw == null) {
      return List.of();
    }
    boolean encoded = isEncoded(headers, key);
    List<String> result = new ArrayList<>();
    for (String value : raw) {
      result.add(encoded ? queryUnescape(value) : value);
    }
    return List.copyOf(result);
  }

  private static boolean isEncoded(Metadata headers, String key) {
    String marker = headers.get(Metadata.Key.of(key + "-encoded", Metadata.ASCII_STRING_MARSHALLER));
    // Go's strconv.ParseBool spellings of true.
    return marker != null && List.of("1", "t", "T", "true", "TRUE", "True").contains(marker);
  }

  /**
   * Decodes like Go's {@code url.QueryUnescape}: {@code +} is a space and {@code %XX} a byte. Go drops
   * the error of a malformed value, so BuildKit gets an empty string there; this does the same.
   */
  static String queryUnescape(String value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        if (i + 2 >= value.length() || hex(value.charAt(i + 1)) < 0 || hex(value.charAt(i + 2)) < 0) {
          return "";
        }
        bytes.write(hex(value.charAt(i + 1)) << 4 | hex(value.charAt(i + 2)));
        i += 2;
      } else if (c == '+') {
        bytes.write(' ');
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
