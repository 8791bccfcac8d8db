package dev.depotrunner.runner.ci;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Reports to GitHub Actions through its workflow commands and environment files: {@code ::group::}
 * per target and phase, {@code ::error} and {@code ::warning} annotations on Dockerfile lines,
 * {@code ::add-mask::} for secrets, outputs in {@code GITHUB_OUTPUT} and a Markdown job summary in
 * {@code GITHUB_STEP_SUMMARY}.
 *
 * @see <a href="https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions">Workflow
 *     commands for GitHub Actions</a>
 */
final class GitHubReporter extends BaseReporter {

  /** GitHub shows at most this many error annotations, and as many warnings, per step. */
  static final int MAX_ANNOTATIONS = 10;
  /** GitHub rejects a step summary larger than 1 MiB. */
  static final int MAX_SUMMARY_BYTES = 1024 * 1024;

  private final Supplier<String> delimiters;

  GitHubReporter(CiEnvironment ci, PrintStream log, Path workingDirectory) {
    this(ci, log, workingDirectory, () -> "ghadelimiter_" + UUID.randomUUID());
  }

  /** @param delimiters makes the heredoc delimiters of multi-line outputs; tests pass fixed ones */
  GitHubReporter(CiEnvironment ci, PrintStream log, Path workingDirectory, Supplier<String> delimiters) {
    super(ci, log, workingDirectory, true);
    this.delimiters = delimiters;
  }

  @Override
  void onSecret(String secret) {
    // GitHub masks line by line, so each line of a multi-line secret is registered on its own.
    for (String line : secret.split("\r?\n|\r")) {
      if (!line.isBlank()) {
        output.printReporterText("::add-mask::" + escapeData(line) + "\n");
      }
    }
  }

  @Override
  void beginGroup(Group group) {
    output.printReporterText("::group::" + escapeData(redact(group.title())) + "\n");
  }

  @Override
  void endGroup(Group group) {
    output.printReporterText("::endgroup::\n");
  }

  @Override
  public void finish(ReportContext context) throws CiReportException {
    Summary summary = summary(context);
    annotate(summary.errors(), "error");
    annotate(summary.warnings(), "warning");
    log.flush();

    writeOutputs(outputs(context));
    writeSummary(summary);
  }

  private void annotate(List<Finding> findings, String command) {
    for (Finding finding : findings.subList(0, Math.min(MAX_ANNOTATIONS, findings.size()))) {
      output.printReporterText(annotation(command, finding) + "\n");
    }
    int left = findings.size() - MAX_ANNOTATIONS;
    if (left > 0) {
      String noun = left == 1 ? command + " is" : command + "s are";
      printLine(left + " more " + noun + " not annotated because GitHub shows at most " + MAX_ANNOTATIONS
          + " per step; the job summary lists all of them");
    }
  }

  /** Returns an {@code ::error} or {@code ::warning} command for the finding. */
  static String annotation(String command, Finding finding) {
    var line = new StringBuilder("::").append(command);
    String separator = " ";
    if (!finding.path().isEmpty()) {
      line.append(separator).append("file=").append(escapeProperty(finding.path()));
      separator = ",";
      if (finding.startLine() > 0) {
        line.append(",line=").append(finding.startLine()).append(",endLine=").append(finding.endLine());
      }
    }
    String title = finding.target().equals("default") ? finding.check() : finding.target() + ": " + finding.check();
    line.append(separator).append("title=").append(escapeProperty(title));
    String message = finding.message();
    if (!finding.url().isEmpty()) {
      message += "\nMore info: " + finding.url();
    }
    return line.append("::").append(escapeData(message)).toString();
  }

  /** Escapes a command's message: {@code %}, CR and LF. */
  static String escapeData(String value) {
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Escapes a command's property value: as {@link #escapeData} plus {@code :} and {@code ,}. */
  static String escapeProperty(String value) {
    return escapeData(value).replace(":", "%3A").replace(",", "%2C");
  }

  private void writeOutputs(Map<String, String> outputs) throws CiReportException {
    var file = ci.variable("GITHUB_OUTPUT");
    if (file.isEmpty() || outputs.isEmpty()) {
      return;
    }
    var text = new StringBuilder();
    for (var output : outputs.entrySet()) {
      text.append(outputEntry(output.getKey(), output.getValue()));
    }
    append(Path.of(file.get()), redact(text.toString()), "GITHUB_OUTPUT");
  }

  /**
   * Returns one {@code GITHUB_OUTPUT} entry: {@code name=value}, or for a value with line breaks the
   * heredoc form with a random delimiter that the value does not contain.
   */
  String outputEntry(String name, String value) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return name + "=" + value + "\n";
    }
    String delimiter = delimiters.get();
    while (value.contains(delimiter)) {
      delimiter = delimiters.get();
    }
    return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
  }

  private void writeSummary(Summary summary) throws CiReportException {
    var file = ci.variable("GITHUB_STEP_SUMMARY");
    if (file.isEmpty()) {
      return;
    }
    Path path = Path.of(file.get());
    long used = 0;
    try {
      used = Files.exists(path) ? Files.size(path) : 0;
    } catch (IOException e) {
      throw new CiReportException("failed to read the size of the GitHub step summary " + path + ": " + e.getMessage(), e);
    }
    // Earlier commands of the same step may have written to the summary; GitHub's limit is for all of it.
    int budget = (int) Math.max(0, MAX_SUMMARY_BYTES - used - 1);
    String markdown = summary.markdown(budget);
    if (!markdown.isEmpty()) {
      append(path, redact(markdown), "GITHUB_STEP_SUMMARY");
    }
  }

  private static void append(Path file, String text, String variable) throws CiReportException {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new CiReportException("failed to write " + file + " (" + variable + "): " + e.getMessage(), e);
    }
  }
}
