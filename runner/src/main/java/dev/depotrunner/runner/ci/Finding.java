package dev.depotrunner.runner.ci;

import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A warning or error tied to a file and line, as CI annotations and code-quality reports show it.
 *
 * @param check the build check's name, such as {@code JSONArgsRecommended}, or a short title
 * @param path the file relative to the CI workspace with {@code /} separators, or empty when the
 *     finding points at no file
 * @param startLine 1-based, or 0 when unknown
 * @param url a page that explains the finding, or empty
 */
record Finding(Severity severity, String target, String check, String message, String path, int startLine,
    int endLine, String url) {

  enum Severity {
    WARNING,
    ERROR
  }

  /** A build-check message: its name, a colon, then the text, such as {@code StageNameCasing: Stage name ...}. */
  private static final Pattern CHECK_MESSAGE = Pattern.compile("^([A-Za-z][A-Za-z0-9]*): (.+)$", Pattern.DOTALL);

  static Finding ofWarning(String target, VertexWarning warning, Path dockerfile, Path base) {
    String check = "Build check";
    String message = warning.message();
    Matcher matcher = CHECK_MESSAGE.matcher(message);
    if (matcher.matches()) {
      check = matcher.group(1);
      message = matcher.group(2);
    }
    return located(Severity.WARNING, target, check, message, warning.source(), dockerfile, base, warning.url());
  }

  static Finding ofFailure(String target, String message, SourceLocation source, Path dockerfile, Path base) {
    return located(Severity.ERROR, target, "Build failed", message, source, dockerfile, base, "");
  }

  private static Finding located(Severity severity, String target, String check, String message,
      SourceLocation source, Path dockerfile, Path base, String url) {
    if (source == null) {
      return new Finding(severity, target, check, message, "", 0, 0, url);
    }
    int startLine = 0;
    int endLine = 0;
    if (!source.ranges().isEmpty()) {
      startLine = source.ranges().get(0).startLine();
      endLine = Math.max(startLine, source.ranges().get(0).endLine());
    }
    return new Finding(severity, target, check, message, relativePath(source.filename(), dockerfile, base),
        startLine, endLine, url);
  }

  /**
   * Returns the file a source location names, relative to {@code base} when it lies inside it. The
   * Dockerfile frontend names the Dockerfile by its bare file name, so that name (or {@code
   * Dockerfile}) is matched against the target's Dockerfile on this machine.
   */
  static String relativePath(String filename, Path dockerfile, Path base) {
    Path file = null;
    if (dockerfile != null && dockerfile.getFileName() != null
        && (filename.equals(dockerfile.getFileName().toString()) || filename.equals("Dockerfile"))) {
      file = dockerfile.toAbsolutePath().normalize();
    } else if (!filename.isEmpty() && Path.of(filename).isAbsolute()) {
      file = Path.of(filename).normalize();
    }
    if (file == null || base == null) {
      return filename;
    }
    Path absoluteBase = base.toAbsolutePath().normalize();
    if (!file.startsWith(absoluteBase)) {
      return filename;
    }
    return absoluteBase.relativize(file).toString().replace('\\', '/');
  }

  /** Returns {@code path:line}, {@code path} or empty, for text reports. */
  String place() {
    if (path.isEmpty()) {
      return "";
    }
    return startLine > 0 ? path + ":" + startLine : path;
  }
}
