package dev.depotrunner.runner.ci;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reports to Buildkite: {@code --- } log groups per target and phase, the summary and failures as
 * annotations, and the outputs as build meta-data under {@code depot.<output>}, both through {@code
 * buildkite-agent} when it is on the job's {@code PATH}.
 *
 * @see <a href="https://buildkite.com/docs/agent/v3/cli-annotate">buildkite-agent annotate</a>
 */
final class BuildkiteReporter extends BaseReporter {

  static final String AGENT = "buildkite-agent";
  /** Buildkite rejects an annotation body larger than 1 MiB. */
  static final int MAX_ANNOTATION_BYTES = 1024 * 1024;
  private static final long AGENT_TIMEOUT_SECONDS = 30;

  BuildkiteReporter(CiEnvironment ci, PrintStream log, Path workingDirectory) {
    super(ci, log, workingDirectory);
  }

  @Override
  void beginGroup(Group group) {
    printLine("--- " + group.title());
  }

  @Override
  public void finish(ReportContext context) throws CiReportException {
    Summary summary = summary(context);
    output.printReporterText("\n" + redact(summary.text()));

    Optional<Path> agent = findAgent();
    if (agent.isEmpty()) {
      printLine("note: " + AGENT + " is not on PATH, so the summary is not annotated and the outputs are not"
          + " saved as meta-data");
      return;
    }

    String suffix = ci.variable("BUILDKITE_JOB_ID").map(id -> "-" + id).orElse("");
    String style = switch (summary.status()) {
      case "succeeded" -> summary.warnings().isEmpty() ? "success" : "warning";
      case "failed" -> "error";
      default -> "info";
    };
    run(agent.get(), List.of("annotate", "--style", style, "--context", "depot-summary" + suffix),
        summary.markdown(MAX_ANNOTATION_BYTES));
    if (!summary.errors().isEmpty()) {
      run(agent.get(), List.of("annotate", "--style", "error", "--context", "depot-error" + suffix),
          errorsMarkdown(summary.errors()));
    }
    for (Map.Entry<String, String> output : outputs(context).entrySet()) {
      run(agent.get(), List.of("meta-data", "set", "depot." + output.getKey()), output.getValue());
    }
  }

  private static String errorsMarkdown(List<Finding> errors) {
    var markdown = new StringBuilder();
    for (Finding error : errors) {
      markdown.append("**Depot build failed**");
      if (!error.target().equals("default")) {
        markdown.append(" in ").append(Summary.code(error.target()));
      }
      if (!error.place().isEmpty()) {
        markdown.append(" at ").append(Summary.code(error.place()));
      }
      String message = error.message().length() > 64 * 1024 ? error.message().substring(0, 64 * 1024) : error.message();
      markdown.append("\n\n<pre>").append(message.replace("&", "&amp;").replace("<", "&lt;")).append("</pre>\n\n");
    }
    return markdown.toString();
  }

  /** Finds the agent on the job's {@code PATH}, which may differ from this process's. */
  private Optional<Path> findAgent() {
    for (String folder : ci.variable("PATH").orElse("").split(File.pathSeparator)) {
      if (folder.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(folder, AGENT);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Runs the agent with {@code input} on its stdin, both with secrets redacted. */
  private void run(Path agent, List<String> arguments, String input) throws CiReportException {
    List<String> command = new ArrayList<>();
    command.add(agent.toString());
    arguments.forEach(argument -> command.add(redact(argument)));
    String description = AGENT + " " + String.join(" ", arguments);

    Path output = null;
    try {
      output = Files.createTempFile("depot-buildkite-agent", ".log");
      var builder = new ProcessBuilder(command)
          .directory(workingDirectory.toFile())
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().clear();
      builder.environment().putAll(ci.variables());
      Process process = builder.start();
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(redact(input).getBytes(StandardCharsets.UTF_8));
      }
      if (!process.waitFor(AGENT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new CiReportException(description + " timed out after " + AGENT_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new CiReportException(description + " failed with exit code " + process.exitValue() + ": "
            + redact(Files.readString(output, StandardCharsets.UTF_8).strip()));
      }
    } catch (IOException e) {
      throw new CiReportException("failed to run " + description + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CiReportException(description + " was interrupted", e);
    } finally {
      deleteQuietly(output);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover temporary file in the system's temp folder is harmless.
    }
  }
}
