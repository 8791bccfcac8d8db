package dev.depotrunner.steps.bake;

import java.util.Objects;

/**
 * One bake definition file as read: its name for messages and its text. A name ending in {@code .json}
 * selects the JSON syntax; {@code -} names standard input.
 */
public record BakeSource(String name, String content) {

  public BakeSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }

  public boolean isJson() {
    return name.endsWith(".json");
  }
}
