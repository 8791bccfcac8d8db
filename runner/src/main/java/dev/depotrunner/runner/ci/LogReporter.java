package dev.depotrunner.runner.ci;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Reports to a CI the runner has no reporter for (only {@code CI} is set): the summary at the end of
 * the log and nothing else. Outside CI ({@link CiSystem#NONE}) it prints nothing.
 */
final class LogReporter extends BaseReporter {

  LogReporter(CiEnvironment ci, PrintStream log, Path workingDirectory) {
    super(ci, log, workingDirectory);
  }

  @Override
  public void finish(ReportContext context) {
    if (ci.system() == CiSystem.NONE) {
      return;
    }
    output.printReporterText("\n" + redact(summary(context).text()));
  }
}
