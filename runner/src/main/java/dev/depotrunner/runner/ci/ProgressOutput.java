package dev.depotrunner.runner.ci;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The log as the progress renderer writes to it: whole lines pass through with every registered
 * secret replaced by {@code ***}, and, on GitHub Actions, with workflow command processing stopped.
 *
 * <p>Build output is untrusted, because a RUN step can print {@code ::add-mask::} or {@code
 * ::error::} to fake the reporter's commands. GitHub's runner ignores commands between {@code
 * ::stop-commands::TOKEN} and {@code ::TOKEN::}. So the first line of renderer output after the
 * reporter's own text stops processing with a fresh random token, and {@link #printReporterText}
 * resumes it first.
 *
 * <p>A line is held until it ends, so that a secret split across two writes is still replaced. A
 * partial line goes out when {@link #close} is called or the held bytes exceed {@value #MAX_HELD_BYTES}.
 * Its lock is taken last: after the reporter's and the renderer's, never before them.
 */
final class ProgressOutput extends OutputStream {

  /** The size at which an unfinished line is written anyway, so that output without newlines still shows. */
  static final int MAX_HELD_BYTES = 64 * 1024;

  private final PrintStream log;
  private final UnaryOperator<String> redact;
  private final boolean stopsCommands;
  private final Supplier<String> tokens;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  /** The token that resumes command processing, or null while commands are processed. */
  private String stopToken;
  /** Whether the last byte written to the log left a line unfinished. */
  private boolean midLine;

  /**
   * @param stopsCommands whether to stop GitHub Actions workflow commands around renderer output
   * @param tokens makes the stop tokens; tests pass fixed ones
   */
  ProgressOutput(PrintStream log, UnaryOperator<String> redact, boolean stopsCommands, Supplier<String> tokens) {
    this.log = log;
    this.redact = redact;
    this.stopsCommands = stopsCommands;
    this.tokens = tokens;
  }

  ProgressOutput(PrintStream log, UnaryOperator<String> redact, boolean stopsCommands) {
    this(log, redact, stopsCommands, () -> UUID.randomUUID().toString());
  }

  /** Returns this stream as a UTF-8 {@link PrintStream} for the renderer. */
  PrintStream printStream() {
    return new PrintStream(this, false, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void write(int value) {
    write(new byte[] {(byte) value}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      line.write(bytes[i]);
      if (bytes[i] == '\n' || line.size() >= MAX_HELD_BYTES) {
        writeHeldLine();
      }
    }
  }

  /** Flushes the log but keeps an unfinished line, which may still contain the start of a secret. */
  @Override
  public synchronized void flush() {
    log.flush();
  }

  /** Writes an unfinished line and resumes command processing. The log itself stays open. */
  @Override
  public synchronized void close() {
    writeHeldLine();
    resumeCommands();
    log.flush();
  }

  /**
   * Writes the reporter's own text, such as a workflow command, after resuming command processing.
   * The text is written as given, because a mask command must contain its secret.
   */
  synchronized void printReporterText(String text) {
    resumeCommands();
    log.print(text);
    midLine = !text.isEmpty() && text.charAt(text.length() - 1) != '\n';
    log.flush();
  }

  /** Ends a stop of command processing, on a line of its own. */
  synchronized void resumeCommands() {
    if (stopToken == null) {
      return;
    }
    if (midLine) {
      log.print('\n');
      midLine = false;
    }
    log.println("::" + stopToken + "::");
    stopToken = null;
  }

  private void writeHeldLine() {
    if (line.size() == 0) {
      return;
    }
    if (stopsCommands && stopToken == null) {
      if (midLine) {
        log.print('\n');
      }
      stopToken = tokens.get();
      log.println("::stop-commands::" + stopToken);
    }

    String text = redact.apply(line.toString(StandardCharsets.UTF_8));
    line.reset();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    log.write(bytes, 0, bytes.length);
    midLine = bytes[bytes.length - 1] != '\n';
  }
}
