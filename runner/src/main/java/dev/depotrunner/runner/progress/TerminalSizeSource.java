package dev.depotrunner.runner.progress;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds the size of the terminal the process runs in, for the tty view.
 *
 * <p>The JDK cannot query a terminal's size, so this runs {@code stty size} on the controlling
 * terminal ({@code /dev/tty}) and falls back to the {@code COLUMNS} and {@code LINES} environment
 * variables. A size is reused for a second, so a resized terminal is noticed within a second.
 */
class TerminalSizeSource {

  private static final Duration CACHE_TIME = Duration.ofSeconds(1);
  private static final File CONTROLLING_TERMINAL = new File("/dev/tty");

  private final InstantSource clock;
  private final Map<String, String> environment;
  private TerminalSize cached;
  private Instant cachedAt;

  TerminalSizeSource(InstantSource clock, Map<String, String> environment) {
    this.clock = clock;
    this.environment = environment;
  }

  /** Returns the terminal's size, or null when it is unknown. */
  synchronized TerminalSize size() {
    Instant now = clock.instant();
    if (cachedAt != null && Duration.between(cachedAt, now).compareTo(CACHE_TIME) < 0) {
      return cached;
    }
    TerminalSize size = querySize();
    if (size == null) {
      size = environmentSize();
    }
    if (size != null || cached == null) {
      cached = size;
    }
    cachedAt = now;
    return cached;
  }

  TerminalSize querySize() {
    if (!CONTROLLING_TERMINAL.canRead()) {
      return null;
    }
    try {
      Process process =
          new ProcessBuilder("stty", "size")
              .redirectInput(CONTROLLING_TERMINAL)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String output;
      try (InputStream stdout = process.getInputStream()) {
        output = new String(stdout.readAllBytes(), StandardCharsets.US_ASCII).trim();
      }
      if (!process.waitFor(1, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroy();
        return null;
      }
      String[] rowsAndColumns = output.split("\\s+");
      if (rowsAndColumns.length != 2) {
        return null;
      }
      return validSize(rowsAndColumns[1], rowsAndColumns[0]);
    } catch (IOException e) {
      // No stty, or no controlling terminal: the size stays unknown.
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private TerminalSize environmentSize() {
    String columns = environment.get("COLUMNS");
    String lines = environment.get("LINES");
    if (columns == null || lines == null) {
      return null;
    }
    return validSize(columns, lines);
  }

  private static TerminalSize validSize(String columns, String rows) {
    try {
      int width = Integer.parseInt(columns.trim());
      int height = Integer.parseInt(rows.trim());
      return width > 0 && height > 0 ? new TerminalSize(width, height) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
