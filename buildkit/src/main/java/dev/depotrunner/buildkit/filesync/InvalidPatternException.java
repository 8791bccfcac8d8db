package dev.depotrunner.buildkit.filesync;

/** A file pattern (from .dockerignore, or sent by the builder) that cannot be parsed. */
public final class InvalidPatternException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String pattern;
  private final String reason;

  InvalidPatternException(String pattern, String reason) {
    this("pattern", pattern, reason);
  }

  private InvalidPatternException(String kind, String pattern, String reason) {
    super("invalid " + kind + " \"" + pattern + "\": " + reason);
    this.pattern = pattern;
    this.reason = reason;
  }

  /** Returns the same error for a pattern of a named kind, such as "exclude pattern". */
  InvalidPatternException withKind(String kind) {
    InvalidPatternException renamed = new InvalidPatternException(kind, pattern, reason);
    renamed.initCause(this);
    return renamed;
  }

  /** The pattern as written, with a leading {@code !} for an exclusion. */
  public String pattern() {
    return pattern;
  }
}
