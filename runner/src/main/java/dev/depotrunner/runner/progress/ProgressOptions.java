package dev.depotrunner.runner.progress;

/**
 * Settings for progress output beyond the mode.
 *
 * @param multiTarget whether several targets build at once (a bake of more than one target): vertex
 *     names then start with the target, such as {@code [app 2/4] RUN make}, and an error names its
 *     target, as docker buildx bake does
 * @param debug whether the warnings summary shows each warning's detail, link and Dockerfile lines,
 *     and notices of level DEBUG are printed
 * @param color whether the tty view and the warnings summary use ANSI colors
 */
public record ProgressOptions(boolean multiTarget, boolean debug, boolean color) {

  /**
   * Returns options for a single build without debug output, in color unless the {@code NO_COLOR}
   * environment variable is set to a value that is not empty (https://no-color.org).
   */
  public static ProgressOptions defaults() {
    String noColor = System.getenv("NO_COLOR");
    return new ProgressOptions(false, false, noColor == null || noColor.isEmpty());
  }

  public ProgressOptions withMultiTarget(boolean multiTarget) {
    return new ProgressOptions(multiTarget, debug, color);
  }

  public ProgressOptions withDebug(boolean debug) {
    return new ProgressOptions(multiTarget, debug, color);
  }

  public ProgressOptions withColor(boolean color) {
    return new ProgressOptions(multiTarget, debug, color);
  }
}
