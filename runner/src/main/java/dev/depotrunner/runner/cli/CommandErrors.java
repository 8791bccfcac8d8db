package dev.depotrunner.runner.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints command failures as buildx does: one line naming the problem (plus a usage hint for usage
 * errors), and the stack trace only with {@code --debug}.
 */
final class CommandErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

  private final Invocation invocation;

  CommandErrors(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public int handleParseException(ParameterException exception, String[] args) {
    var err = invocation.err();
    err.println("error: " + oneLine(exception.getMessage()));
    if (Arrays.asList(args).contains("--debug")) {
      exception.printStackTrace(err);
    }
    err.println(DepotCommand.usageHint(exception.getCommandLine().getCommandSpec().qualifiedName()));
    return exception.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
    var err = invocation.err();
    err.println("error: " + describe(exception));
    if (debugRequested(parseResult)) {
      exception.printStackTrace(err);
    }
    return CommandLine.ExitCode.SOFTWARE;
  }

  private static boolean debugRequested(ParseResult parseResult) {
    for (ParseResult result = parseResult; result != null; result = result.subcommand()) {
      if (result.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** Returns the message of the exception and its causes on one line, without repeating a cause's text. */
  static String describe(Throwable exception) {
    var text = new StringBuilder();
    for (Throwable current = exception; current != null; current = current.getCause()) {
      String message = current.getMessage();
      if (message == null || message.isBlank()) {
        message = current.getClass().getSimpleName();
      }
      if (text.indexOf(message) >= 0) {
        continue;
      }
      if (!text.isEmpty()) {
        text.append(": ");
      }
      text.append(oneLine(message));
    }
    return text.toString();
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
