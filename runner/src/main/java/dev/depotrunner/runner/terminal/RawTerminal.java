package dev.depotrunner.runner.terminal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal, {@code /dev/tty}, switched by {@code stty} to deliver each key at once
 * without echo, with the screen switched to the alternate buffer. {@link #close()} restores the
 * saved {@code stty} settings and the screen, and so does a shutdown hook when the JVM exits on
 * SIGINT or SIGTERM before close runs.
 *
 * <p>NOTE: a SIGKILL runs no hook, so the terminal then stays in this mode until {@code stty sane}.
 */
public final class RawTerminal implements AutoCloseable {

  private static final File TTY = new File("/dev/tty");
  private static final String ENTER_SCREEN = "\u001b[?1049h\u001b[?25l";
  private static final String LEAVE_SCREEN = "\u001b[?25h\u001b[?1049l";
  private static final long STTY_TIMEOUT_SECONDS = 10;

  /** The window size in characters. */
  public record Size(int rows, int columns) {}

  private final String saved;
  private final PrintStream screen;
  private final InputStream input;
  private final Thread hook;
  private boolean restored;

  private RawTerminal(String saved, PrintStream screen) throws IOException {
    this.saved = saved;
    this.screen = screen;
    this.hook = new Thread(this::restore, "terminal-restore");
    Runtime.getRuntime().addShutdownHook(hook);
    this.input = new FileInputStream(TTY);
  }

  /**
   * Returns whether this process can browse interactively: {@code TERM} is set and not {@code dumb},
   * {@code /dev/tty} exists, and {@code stty} can read the settings of this process's stdin, which
   * fails when stdin is not a terminal.
   */
  public static boolean supported(Map<String, String> environment) {
    String term = environment.get("TERM");
    if (term == null || term.isBlank() || term.equals("dumb") || !Files.exists(Path.of(TTY.getPath()))) {
      return false;
    }
    try {
      Process process = new ProcessBuilder("stty", "-g")
          .redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return process.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Saves the terminal settings, turns off line buffering and echo ({@code stty -icanon -echo min 1}),
   * and switches {@code screen} to the alternate buffer with the cursor hidden.
   */
  public static RawTerminal open(PrintStream screen) throws IOException {
    String saved = stty("-g").trim();
    RawTerminal terminal = new RawTerminal(saved, screen);
    try {
      stty("-icanon", "-echo", "min", "1");
    } catch (IOException | RuntimeException e) {
      terminal.close();
      throw e;
    }
    screen.print(ENTER_SCREEN);
    screen.flush();
    return terminal;
  }

  /** Returns the stream of bytes that the keys send. */
  public InputStream input() {
    return input;
  }

  /** Returns the window size from {@code stty size}. */
  public Size size() throws IOException {
    String[] fields = stty("size").trim().split("\\s+");
    if (fields.length != 2) {
      throw new IOException("stty size printed " + String.join(" ", fields) + ", expected rows and columns");
    }
    try {
      return new Size(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]));
    } catch (NumberFormatException e) {
      throw new IOException("stty size printed " + String.join(" ", fields) + ", expected two numbers", e);
    }
  }

  @Override
  public void close() throws IOException {
    restore();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down, so the hook runs and finds the terminal restored.
    }
    input.close();
  }

  private synchronized void restore() {
    if (restored) {
      return;
    }
    restored = true;
    screen.print(LEAVE_SCREEN);
    screen.flush();
    try {
      stty(saved);
    } catch (IOException e) {
      throw new UncheckedIOException("failed to restore the terminal settings, run `stty sane`", e);
    }
  }

  /** Runs {@code stty} on {@code /dev/tty} and returns what it printed. */
  private static String stty(String... arguments) throws IOException {
    String[] command = new String[arguments.length + 1];
    command[0] = "stty";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    Process process = new ProcessBuilder(command).redirectInput(TTY).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("stty " + String.join(" ", arguments) + " timed out after " + STTY_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException("stty " + String.join(" ", arguments) + " failed: " + error.trim());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running stty", e);
    }
  }
}
