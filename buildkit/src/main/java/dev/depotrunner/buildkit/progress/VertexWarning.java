package dev.depotrunner.buildkit.progress;

import java.util.List;

/**
 * A warning raised while solving, such as a Dockerfile build check.
 *
 * @param level the builder's severity, 1 for the Dockerfile frontend's build checks
 * @param message the one-line warning, such as {@code JSONArgsRecommended: JSON arguments
 *     recommended for CMD to prevent unintended behavior related to OS signals (line 3)}
 * @param detail longer explanations, one paragraph each
 * @param url a page that explains the warning, or empty
 * @param source where in which file the warning points, or null
 */
public record VertexWarning(
    String vertex, int level, String message, List<String> detail, String url, SourceLocation source) {

  public VertexWarning {
    detail = List.copyOf(detail);
  }
}
