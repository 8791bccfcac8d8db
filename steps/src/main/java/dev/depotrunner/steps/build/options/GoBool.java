package dev.depotrunner.steps.build.options;

import java.util.Optional;

/**
 * Booleans as Go's {@code strconv.ParseBool} reads them, which is how buildx and BuildKit read boolean
 * attributes and build arguments such as {@code push=true} or {@code BUILDKIT_INLINE_CACHE=1}.
 */
public final class GoBool {

  private GoBool() {}

  /**
   * Returns the value of {@code 1 t T TRUE true True} or {@code 0 f F FALSE false False}, or empty for
   * anything else.
   */
  public static Optional<Boolean> parse(String text) {
    return switch (text) {
      case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
      case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
      default -> Optional.empty();
    };
  }

  /** Returns whether {@code text} is a true boolean; false for false, missing and malformed values. */
  public static boolean isTrue(String text) {
    return text != null && parse(text).orElse(false);
  }
}
