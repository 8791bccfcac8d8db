package dev.depotrunner.runner;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Prints the libraries' log records (System.Logger, backed by java.util.logging) to stderr as one line
 * each, in the CLI's own style, in place of the JDK's two-line default with a timestamp and class name.
 */
final class LogLines {

  private LogLines() {}

  /** Installs the one-line handler: INFO and above, or everything with stack traces when {@code debug}. */
  static void install(boolean debug) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Level level = debug ? Level.FINE : Level.INFO;
    var handler = new ConsoleHandler();
    handler.setLevel(level);
    handler.setFormatter(new OneLine(debug));
    root.setLevel(level);
    root.addHandler(handler);
  }

  /** Formats {@code WARNING: message}, or the bare message for INFO. */
  private static final class OneLine extends Formatter {
    private final boolean debug;

    OneLine(boolean debug) {
      this.debug = debug;
    }

    @Override
    public String format(LogRecord record) {
      String message = formatMessage(record);
      String prefix = record.getLevel().intValue() >= Level.WARNING.intValue() ? record.getLevel().getName() + ": " : "";
      var line = new StringBuilder(prefix).append(message).append(System.lineSeparator());
      if (debug && record.getThrown() != null) {
        var trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }
  }
}
