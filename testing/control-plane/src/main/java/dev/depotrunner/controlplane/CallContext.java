package dev.depotrunner.controlplane;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP side of one call a handler serves.
 *
 * @param headers the request headers, names in lower case, values in order
 */
public record CallContext(Map<String, List<String>> headers) {

  public CallContext {
    headers = Map.copyOf(headers);
  }

  /** Returns the first value of a header, looked up case-insensitively. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Returns the token of an {@code Authorization: Bearer} header. */
  public Optional<String> bearerToken() {
    return header("Authorization")
        .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(value -> value.substring(7).strip());
  }
}
