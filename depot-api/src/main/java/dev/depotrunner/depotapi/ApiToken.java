package dev.depotrunner.depotapi;

import java.util.Objects;

/**
 * A bearer token for Depot's API: a user, organization or OIDC token for {@code CreateBuild}, or the
 * build token that {@code CreateBuild} returns for the calls about that build. {@link #toString()} never
 * shows the secret.
 */
public final class ApiToken {

  private final String value;

  private ApiToken(String value) {
    this.value = value;
  }

  /**
   * Wraps a token.
   *
   * @throws IllegalArgumentException if the token is blank or contains a line break, which would not fit
   *     in an HTTP header
   */
  public static ApiToken of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("invalid Depot token: it is empty; set --token or DEPOT_TOKEN");
    }
    if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "invalid Depot token: it contains a control character such as a line break; copy it again");
    }
    return new ApiToken(value.strip());
  }

  /** Returns the secret itself, for the Authorization header and nothing else. */
  public String value() {
    return value;
  }

  /** Returns {@code text} with every occurrence of the token replaced by {@code ***}. */
  String redact(String text) {
    return text == null ? null : text.replace(value, "***");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiToken that && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "ApiToken[***]";
  }
}
