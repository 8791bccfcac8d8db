package dev.depotrunner.runner.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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
    err.println("error: " + usageError(exception));
    if (Arrays.asList(args).contains("--debug")) {
      exception.printStackTrace(err);
    }
    err.println(DepotCommand.usageHint(exception.getCommandLine().getCommandSpec().qualifiedName()));
    return exception.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * Returns the one-line message of a usage error. An unknown flag is named alone, with picocli's
   * closest option as a suggestion, because picocli's own message also lists the positional arguments
   * that followed it.
   */
  static String usageError(ParameterException exception) {
    if (!(exception instanceof UnmatchedArgumentException unmatched) || !unmatched.isUnknownOption()) {
      return oneLine(exception.getMessage());
    }

    String flag = unmatched.getUnmatched().get(0);
    int equals = flag.indexOf('=');
    if (equals > 0) {
      flag = flag.substring(0, equals);
    }
    List<String> suggestions = unmatched.getSuggestions();
    String suggestion = suggestions.isEmpty() ? "" : " (did you mean " + suggestions.get(0) + "?)";
    return "unknown flag: " + flag + suggestion;
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
