package dev.depotrunner.runner.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reports to a CI without log markup by writing files the job keeps: Jenkins reads {@value
 * #OUTPUTS_FILE} (the Jenkins library step returns it as a Map) and {@value #SARIF_FILE} (Warnings
 * Next Generation), and CircleCI stores the folder, with {@value #SUMMARY_FILE}, as artifacts. Both
 * get a heading line per target and phase and the summary at the end of the log.
 */
final class FileReporter extends BaseReporter {

  static final String OUTPUTS_FILE = "outputs.json";
  static final String SARIF_FILE = "warnings.sarif";
  static final String SUMMARY_FILE = "summary.md";

  FileReporter(CiEnvironment ci, PrintStream log, Path workingDirectory) {
    super(ci, log, workingDirectory);
  }

  @Override
  void beginGroup(Group group) {
    printLine("==> " + group.title());
  }

  @Override
  public void finish(ReportContext context) throws CiReportException {
    Summary summary = summary(context);
    ReportFiles files = ReportFiles.of(ci, workingDirectory, this::redact);
    files.writeJson(OUTPUTS_FILE, outputsJson(outputs(context)));
    files.writeJson(SARIF_FILE, SarifReport.of(findings(context)));
    if (ci.system() == CiSystem.CIRCLECI) {
      files.write(SUMMARY_FILE, summary.markdown(GitHubReporter.MAX_SUMMARY_BYTES));
    }

    output.printReporterText("\n" + redact(summary.text()));
    printLine("Reports: " + files.folder());
  }

  /** Returns the outputs as a JSON object; {@code metadata} is embedded as an object, not a string. */
  static ObjectNode outputsJson(Map<String, String> outputs) throws CiReportException {
    ObjectNode json = ReportFiles.JSON.createObjectNode();
    for (var output : outputs.entrySet()) {
      if (output.getKey().equals("metadata")) {
        try {
          json.set("metadata", ReportFiles.JSON.readTree(output.getValue()));
        } catch (JsonProcessingException e) {
          throw new CiReportException("failed to read the build metadata back as JSON: " + e.getOriginalMessage(), e);
        }
      } else {
        json.put(output.getKey(), output.getValue());
      }
    }
    return json;
  }
}
