package dev.depotrunner.runner.ci;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;

/**
 * Reports to GitLab CI: collapsible log sections per target and phase, the outputs as a dotenv
 * report, build-check warnings as a Code Quality report, and the summary at the end of the log.
 *
 * <p>The reports go to {@link ReportFiles}: {@value #DOTENV_FILE} and {@value #CODE_QUALITY_FILE},
 * which the job names under {@code artifacts:reports:dotenv} and {@code artifacts:reports:codequality}.
 *
 * @see <a href="https://docs.gitlab.com/ci/jobs/job_logs/#custom-collapsible-sections">Collapsible sections</a>
 */
final class GitLabReporter extends BaseReporter {

  static final String DOTENV_FILE = "build.env";
  static final String CODE_QUALITY_FILE = "code-quality.json";
  /** GitLab rejects a dotenv report larger than 5 KB; the margin keeps to 5,000 bytes either way. */
  static final int MAX_DOTENV_BYTES = 5_000;

  private static final String ERASE_LINE = "\u001b[0K";

  private final InstantSource clock;
  private int sections;

  GitLabReporter(CiEnvironment ci, PrintStream log, Path workingDirectory, InstantSource clock) {
    super(ci, log, workingDirectory);
    this.clock = clock;
  }

  @Override
  void beginGroup(Group group) {
    sections++;
    output.printReporterText(ERASE_LINE + "section_start:" + clock.instant().getEpochSecond() + ":"
        + sectionName(group) + "[collapsed=true]\r" + ERASE_LINE + redact(group.title()) + "\n");
  }

  @Override
  void endGroup(Group group) {
    output.printReporterText(ERASE_LINE + "section_end:" + clock.instant().getEpochSecond() + ":"
        + sectionName(group) + "\r" + ERASE_LINE + "\n");
  }

  /**
   * Returns a section name of letters, digits, {@code _}, {@code .} and {@code -}, unique within the
   * log because GitLab pairs a section's start and end by name.
   */
  private String sectionName(Group group) {
    String target = group.target().isEmpty() ? "all" : group.target();
    String safeTarget = target.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
    return "depot_" + safeTarget + "_" + group.phase().id() + "_" + sections;
  }

  @Override
  public void finish(ReportContext context) throws CiReportException {
    Summary summary = summary(context);
    ReportFiles files = ReportFiles.of(ci, workingDirectory, this::redact);
    files.write(DOTENV_FILE, dotenv(outputs(context)));
    files.writeJson(CODE_QUALITY_FILE, CodeQualityReport.of(summary.warnings()));

    output.printReporterText("\n" + redact(summary.text()));
  }

  /**
   * Returns the outputs as dotenv lines: {@code DEPOT_} and the output's name in upper case with
   * {@code _} for {@code -}, one line each. A value that does not fit in the size limit, such as large
   * metadata, is left out and its line names why.
   */
  String dotenv(Map<String, String> outputs) {
    var text = new StringBuilder();
    for (var output : outputs.entrySet()) {
      String key = "DEPOT_" + output.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
      String value = output.getValue().replace("\r", "").replaceAll("\n\\s*", "");
      String line = key + "=" + value + "\n";
      if (Summary.utf8Length(text.toString()) + line.getBytes(StandardCharsets.UTF_8).length > MAX_DOTENV_BYTES) {
        printLine("note: " + key + " is not in the dotenv report: it would exceed GitLab's 5 KB limit");
        continue;
      }
      text.append(line);
    }
    return text.toString();
  }
}
