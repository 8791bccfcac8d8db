package dev.depotrunner.runner.ci;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a step's log as GitHub's runner does, to find the lines it would run as workflow commands. It
 * trims leading whitespace and runs no command between {@code ::stop-commands::TOKEN} and {@code
 * ::TOKEN::}.
 *
 * <p>NOTE: it also ends a line at a lone CR, as .NET's StreamReader.ReadLine does. That the runner
 * reads output this way is an assumption, the stricter one, which lets a CR start a command mid-line.
 */
final class WorkflowCommands {

  private WorkflowCommands() {}

  /** Returns the lines of {@code log} that the runner would run as commands, trimmed, in order. */
  static List<String> processed(String log) {
    List<String> commands = new ArrayList<>();
    String stopToken = null;
    for (String line : log.split("\r\n|\n|\r")) {
      String trimmed = line.stripLeading();
      if (!trimmed.startsWith("::")) {
        continue;
      }
      if (stopToken != null) {
        if (trimmed.equals("::" + stopToken + "::")) {
          stopToken = null;
        }
        continue;
      }
      if (trimmed.startsWith("::stop-commands::")) {
        stopToken = trimmed.substring("::stop-commands::".length());
        continue;
      }
      commands.add(trimmed);
    }
    return commands;
  }

  /** Returns whether the log ends with command processing stopped. */
  static boolean endsStopped(String log) {
    String stopToken = null;
    for (String line : log.split("\r\n|\n|\r")) {
      String trimmed = line.stripLeading();
      if (stopToken == null && trimmed.startsWith("::stop-commands::")) {
        stopToken = trimmed.substring("::stop-commands::".length());
      } else if (stopToken != null && trimmed.equals("::" + stopToken + "::")) {
        stopToken = null;
      }
    }
    return stopToken != null;
  }
}
