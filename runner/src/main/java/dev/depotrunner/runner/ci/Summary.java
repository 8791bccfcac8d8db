package dev.depotrunner.runner.ci;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The end-of-build summary: each target's status, platforms, tags, digest, duration, cached steps
 * and slowest steps, then the warnings, the errors and the links to the source, the run and the
 * Depot build. {@link #markdown} is for job summaries and annotations, {@link #text} for the log.
 */
final class Summary {

  static final int SLOWEST_STEPS = 5;
  /** Errors longer than this many lines are folded into a {@code <details>} block. */
  static final int INLINE_ERROR_LINES = 10;

  private final CiEnvironment ci;
  private final List<TargetRecord> targets;
  private final ReportContext context;
  private final List<Finding> findings;
  private final UnaryOperator<String> redact;

  Summary(CiEnvironment ci, List<TargetRecord> targets, ReportContext context, List<Finding> findings,
      UnaryOperator<String> redact) {
    this.ci = ci;
    this.targets = List.copyOf(targets);
    this.context = context;
    this.findings = List.copyOf(findings);
    this.redact = redact;
  }

  /** Returns {@code failed}, {@code cancelled}, {@code succeeded} or {@code unfinished}, worst first. */
  String status() {
    if (targets.stream().anyMatch(target -> target.status() == TargetRecord.Status.FAILED)) {
      return "failed";
    }
    if (targets.stream().anyMatch(target -> target.status() == TargetRecord.Status.CANCELLED)) {
      return "cancelled";
    }
    if (!targets.isEmpty() && targets.stream().allMatch(target -> target.status() == TargetRecord.Status.SUCCEEDED)) {
      return "succeeded";
    }
    return "unfinished";
  }

  List<Finding> warnings() {
    return findings.stream().filter(finding -> finding.severity() == Finding.Severity.WARNING).toList();
  }

  List<Finding> errors() {
    return findings.stream().filter(finding -> finding.severity() == Finding.Severity.ERROR).toList();
  }

  /**
   * Returns the summary as GitHub-flavoured Markdown of at most {@code maxBytes} UTF-8 bytes. When the
   * whole summary is longer, the warnings list and the error texts are shortened first, and as a last
   * resort the text is cut at a line end with a note saying so.
   */
  String markdown(int maxBytes) {
    int[][] attempts = {{Integer.MAX_VALUE, Integer.MAX_VALUE}, {100, 64 * 1024}, {10, 4 * 1024}};
    String rendered = "";
    for (int[] attempt : attempts) {
      rendered = renderMarkdown(attempt[0], attempt[1]);
      if (utf8Length(rendered) <= maxBytes) {
        return rendered;
      }
    }
    return cut(rendered, maxBytes);
  }

  private static String cut(String markdown, int maxBytes) {
    String note = "\n\n_The summary was cut to fit the job summary's size limit; the log has all of it._\n";
    int budget = maxBytes - utf8Length(note);
    if (budget <= 0) {
      return "";
    }
    byte[] bytes = markdown.getBytes(StandardCharsets.UTF_8);
    int end = budget;
    while (end > 0 && bytes[end] != '\n') {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8) + note;
  }

  static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  private String renderMarkdown(int maxWarnings, int maxErrorChars) {
    var markdown = new StringBuilder();
    markdown.append("## Depot build ").append(icon(status())).append(' ').append(status()).append("\n\n");
    appendTargetTable(markdown);
    appendLinks(markdown);
    for (TargetRecord target : targets) {
      appendTargetDetails(markdown, target);
    }
    appendWarnings(markdown, maxWarnings);
    appendErrors(markdown, maxErrorChars);
    return markdown.toString();
  }

  private void appendTargetTable(StringBuilder markdown) {
    markdown.append("| Target | Status | Platforms | Duration | Cached steps | Digest |\n");
    markdown.append("| --- | --- | --- | --- | --- | --- |\n");
    for (TargetRecord target : targets) {
      String status = target.status().name().toLowerCase(Locale.ROOT);
      String digest = target.exporterResponse().getOrDefault("containerimage.digest", "");
      markdown.append("| ").append(code(redact.apply(target.name())))
          .append(" | ").append(icon(status)).append(' ').append(status)
          .append(" | ").append(cell(redact.apply(String.join(", ", target.platforms()))))
          .append(" | ").append(duration(target.duration()))
          .append(" | ").append(cachedRatio(target))
          .append(" | ").append(digest.isEmpty() ? "" : code(digest))
          .append(" |\n");
    }
    markdown.append('\n');
  }

  private void appendLinks(StringBuilder markdown) {
    if (!ci.repository().isEmpty()) {
      markdown.append("Source: ").append(link(ci.repository().replaceFirst("^[a-z]+://", ""), ci.repository()));
      if (!ci.commit().isEmpty()) {
        markdown.append(" at ").append(code(shortCommit(ci.commit())));
      }
      if (!ci.ref().isEmpty()) {
        markdown.append(" (").append(code(ci.ref())).append(')');
      }
      markdown.append("  \n");
    }
    if (!ci.runUrl().isEmpty()) {
      markdown.append(ci.system().title()).append(" run: ")
          .append(link(ci.runId().isEmpty() ? ci.runUrl() : ci.runId(), ci.runUrl())).append("  \n");
    }
    if (context.buildUrl().isPresent() || context.buildId().isPresent()) {
      String label = context.buildId().orElse(context.buildUrl().orElse(""));
      markdown.append("Depot build: ")
          .append(context.buildUrl().isPresent() ? link(label, context.buildUrl().get()) : code(label));
      context.projectId().ifPresent(project -> markdown.append(" in project ").append(code(project)));
      markdown.append("  \n");
    }
    markdown.append('\n');
  }

  private void appendTargetDetails(StringBuilder markdown, TargetRecord target) {
    List<String> tags = context.inputs(target.name()).tags();
    List<TargetRecord.StepTime> slowest = target.slowestSteps(SLOWEST_STEPS);
    if (tags.isEmpty() && slowest.isEmpty()) {
      return;
    }
    markdown.append("### ").append(code(redact.apply(target.name()))).append("\n\n");
    if (!tags.isEmpty()) {
      markdown.append("Tags: ");
      markdown.append(String.join(", ", tags.stream().map(tag -> code(redact.apply(tag))).toList()));
      markdown.append("\n\n");
    }
    if (!slowest.isEmpty()) {
      markdown.append("| Slowest steps | Duration |\n| --- | --- |\n");
      for (TargetRecord.StepTime step : slowest) {
        markdown.append("| ").append(code(redact.apply(step.name()))).append(" | ").append(duration(step.duration()))
            .append(" |\n");
      }
      markdown.append('\n');
    }
  }

  private void appendWarnings(StringBuilder markdown, int maxWarnings) {
    List<Finding> warnings = warnings();
    if (warnings.isEmpty()) {
      return;
    }
    markdown.append("### Warnings (").append(warnings.size()).append(")\n\n");
    for (Finding warning : warnings.subList(0, Math.min(maxWarnings, warnings.size()))) {
      markdown.append("- **").append(escape(warning.check())).append("**");
      if (!warning.place().isEmpty()) {
        markdown.append(' ').append(code(warning.place()));
      }
      if (targets.size() > 1) {
        markdown.append(" in ").append(code(warning.target()));
      }
      markdown.append(": ").append(escape(oneLine(warning.message())));
      if (!warning.url().isEmpty()) {
        markdown.append(" (").append(link("more", warning.url())).append(')');
      }
      markdown.append('\n');
    }
    if (warnings.size() > maxWarnings) {
      markdown.append("- … and ").append(warnings.size() - maxWarnings).append(" more in the log\n");
    }
    markdown.append('\n');
  }

  private void appendErrors(StringBuilder markdown, int maxErrorChars) {
    for (Finding error : errors()) {
      markdown.append("### Error");
      if (targets.size() > 1) {
        markdown.append(" in ").append(code(error.target()));
      }
      if (!error.place().isEmpty()) {
        markdown.append(" at ").append(code(error.place()));
      }
      markdown.append("\n\n");

      String message = error.message();
      if (message.length() > maxErrorChars) {
        message = message.substring(0, maxErrorChars) + "\n… (" + (error.message().length() - maxErrorChars)
            + " more characters in the log)";
      }
      String fence = fence(message);
      String block = fence + "text\n" + message + "\n" + fence + "\n";
      if (message.lines().count() > INLINE_ERROR_LINES) {
        markdown.append("<details><summary>").append(html(oneLine(message.lines().findFirst().orElse(""))))
            .append("</summary>\n\n").append(block).append("\n</details>\n\n");
      } else {
        markdown.append(block).append('\n');
      }
    }
  }

  /** Returns the summary as plain lines for the end of a log. */
  String text() {
    var text = new StringBuilder();
    text.append("Depot build ").append(status()).append('\n');
    for (TargetRecord target : targets) {
      text.append("  ").append(redact.apply(target.name())).append(": ").append(target.status().name().toLowerCase(Locale.ROOT));
      if (target.duration() != null) {
        text.append(" in ").append(duration(target.duration()));
      }
      if (!target.platforms().isEmpty()) {
        text.append(", ").append(String.join(", ", target.platforms()));
      }
      text.append(", ").append(cachedRatio(target)).append(" steps cached\n");
      String digest = target.exporterResponse().getOrDefault("containerimage.digest", "");
      if (!digest.isEmpty()) {
        text.append("    digest: ").append(digest).append('\n');
      }
      List<String> tags = context.inputs(target.name()).tags();
      if (!tags.isEmpty()) {
        text.append("    tags: ").append(redact.apply(String.join(", ", tags))).append('\n');
      }
      for (TargetRecord.StepTime step : target.slowestSteps(SLOWEST_STEPS)) {
        text.append("    ").append(duration(step.duration())).append("  ").append(redact.apply(step.name())).append('\n');
      }
    }
    List<Finding> warnings = warnings();
    if (!warnings.isEmpty()) {
      text.append("  ").append(warnings.size()).append(warnings.size() == 1 ? " warning:\n" : " warnings:\n");
      for (Finding warning : warnings) {
        text.append("    ").append(warning.place().isEmpty() ? "" : warning.place() + " ")
            .append(warning.check()).append(": ").append(oneLine(warning.message())).append('\n');
      }
    }
    if (!ci.runUrl().isEmpty()) {
      text.append("  run: ").append(ci.runUrl()).append('\n');
    }
    context.buildUrl().ifPresent(url -> text.append("  Depot build: ").append(url).append('\n'));
    return text.toString();
  }

  static String cachedRatio(TargetRecord target) {
    int completed = target.completedSteps();
    if (completed == 0) {
      return "0 of 0";
    }
    int cached = Math.min(target.cachedSteps(), completed);
    return cached + " of " + completed + " (" + (cached * 100 / completed) + "%)";
  }

  /** Formats a duration as BuildKit's progress does for short ones ({@code 4.2s}) and with minutes beyond. */
  static String duration(Duration duration) {
    if (duration == null) {
      return "";
    }
    long millis = Math.max(0, duration.toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
  }

  private static String icon(String status) {
    return switch (status) {
      case "succeeded" -> "✅";
      case "failed" -> "❌";
      case "cancelled" -> "⛔";
      default -> "⏳";
    };
  }

  private static String shortCommit(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  private static String oneLine(String text) {
    return text.replace("\r", "").replace('\n', ' ').strip();
  }

  /** Returns a code span that contains {@code text} whatever backticks it has, with pipes escaped for tables. */
  static String code(String text) {
    String flat = oneLine(text).replace("|", "\\|");
    if (flat.isEmpty()) {
      return "";
    }
    String ticks = "`";
    while (flat.contains(ticks)) {
      ticks += "`";
    }
    boolean pad = flat.startsWith("`") || flat.endsWith("`");
    return ticks + (pad ? " " : "") + flat + (pad ? " " : "") + ticks;
  }

  private static String cell(String text) {
    return escape(oneLine(text));
  }

  /** Escapes the characters that would start Markdown or HTML markup in running text. */
  static String escape(String text) {
    var escaped = new StringBuilder();
    for (char character : text.toCharArray()) {
      if ("\\`*_[]<>|#".indexOf(character) >= 0) {
        escaped.append('\\');
      }
      escaped.append(character);
    }
    return escaped.toString();
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String link(String label, String url) {
    return "[" + escape(label) + "](" + url.replace(" ", "%20").replace(")", "%29") + ")";
  }

  /** Returns a code fence longer than any run of backticks in {@code text}. */
  private static String fence(String text) {
    String fence = "```";
    while (text.contains(fence)) {
      fence += "`";
    }
    return fence;
  }
}
