package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of the progress output: the build-check warnings, and the failures with the Dockerfile
 * lines they point to, printed as docker buildx prints them after its progress.
 */
final class BuildOutcome {

  /** The message BuildKit's client returns when a solve is cancelled. */
  static final String CANCELED_MESSAGE = "failed to solve: Canceled: context canceled";

  private final ProgressOptions options;
  private final Map<List<Object>, VertexWarning> warnings = new LinkedHashMap<>();
  private final List<BuildEvent.Failed> failures = new ArrayList<>();
  private final List<BuildEvent.Cancelled> cancellations = new ArrayList<>();

  BuildOutcome(ProgressOptions options) {
    this.options = options;
  }

  /** Adds warnings, keeping the first of those that differ only in their vertex. */
  void addWarnings(List<VertexWarning> batch) {
    for (VertexWarning warning : batch) {
      warnings.putIfAbsent(warningKey(warning), warning);
    }
  }

  private static List<Object> warningKey(VertexWarning warning) {
    List<Object> key = new ArrayList<>();
    key.add(warning.level());
    key.add(warning.message());
    key.add(warning.detail());
    key.add(warning.url());
    SourceLocation source = warning.source();
    if (source != null) {
      key.add(source.filename());
      key.add(source.language());
      key.add(new String(source.data(), StandardCharsets.ISO_8859_1));
      key.add(source.ranges());
    }
    return key;
  }

  List<VertexWarning> warnings() {
    return List.copyOf(warnings.values());
  }

  void failed(BuildEvent.Failed failure) {
    failures.add(failure);
  }

  void cancelled(BuildEvent.Cancelled cancellation) {
    cancellations.add(cancellation);
  }

  /**
   * Prints how many warnings the build raised and each one's message; with debug, also each one's
   * detail, link and Dockerfile lines.
   */
  void printWarnings(TextOutput out) {
    if (warnings.isEmpty()) {
      return;
    }
    int count = warnings.size();
    String header = count == 1 ? "1 warning found" : count + " warnings found";
    if (!options.debug()) {
      header += " (use --debug to expand)";
    }
    out.print("\n ");
    out.print(Ansi.apply(header + ":\n", options.color() ? Ansi.YELLOW : null));

    for (VertexWarning warning : warnings.values()) {
      out.print(" - " + warning.message() + "\n");
      if (!options.debug()) {
        continue;
      }
      for (String paragraph : warning.detail()) {
        out.print(paragraph + "\n");
      }
      if (!warning.url().isEmpty()) {
        out.print("More info: " + warning.url() + "\n");
      }
      SourceExcerpt.print(warning.source(), out);
      out.print("\n");
    }
  }

  /**
   * Prints each failure's Dockerfile lines and its error line. A cancellation is printed only when
   * nothing failed, because failing one target of a bake cancels the others.
   */
  void printErrors(TextOutput out) {
    for (BuildEvent.Failed failure : failures) {
      SourceExcerpt.print(failure.source(), out);
      out.print("ERROR: " + errorPrefix(failure.target()) + failure.message() + "\n");
    }
    if (failures.isEmpty() && !cancellations.isEmpty()) {
      out.print("ERROR: " + errorPrefix(cancellations.get(0).target()) + CANCELED_MESSAGE + "\n");
    }
  }

  private String errorPrefix(String target) {
    return options.multiTarget() ? "target " + target + ": " : "failed to build: ";
  }
}
