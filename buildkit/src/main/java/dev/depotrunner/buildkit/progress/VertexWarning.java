package dev.depotrunner.buildkit.progress;

import java.util.List;

/**
 * A warning raised while solving, such as a Dockerfile build check.
 *
 * @param url a page that explains the warning, or empty
 * @param source where in which file the warning points, or null
 */
public record VertexWarning(
    String vertex, int level, String message, List<String> detail, String url, SourceLocation source) {

  public VertexWarning {
    detail = List.copyOf(detail);
  }
}
