package dev.depotrunner.buildkit;

import dev.depotrunner.buildkit.progress.SourceLocation;
import java.util.List;

/**
 * The builder ran the Solve and it failed: a step exited non-zero, a file was missing, the Dockerfile
 * did not parse. Carries the typed details BuildKit attaches to the error.
 */
public final class SolveFailedException extends BuildKitException {

  private final String vertex;
  private final List<SourceLocation> sources;

  SolveFailedException(String message, String vertex, List<SourceLocation> sources, Throwable cause) {
    super(message, cause);
    this.vertex = vertex;
    this.sources = List.copyOf(sources);
  }

  /** The digest of the failing vertex, or empty when the failure is not tied to one. */
  public String vertex() {
    return vertex;
  }

  /** Where in the Dockerfile (or another source) the failure points, innermost last; often empty. */
  public List<SourceLocation> sources() {
    return sources;
  }
}
