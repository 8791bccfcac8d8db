package dev.depotrunner.steps.build.options;

import java.util.Objects;

/** A Depot API token; {@link #toString()} never shows it. */
public final class DepotToken {

  private final String value;

  public DepotToken(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Returns the token itself, for the Authorization header and nothing else. */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DepotToken that && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "DepotToken[***]";
  }
}
