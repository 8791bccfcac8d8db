package dev.depotrunner.runner.cli;

import dev.depotrunner.runner.terminal.Key;
import dev.depotrunner.runner.terminal.RawTerminal;
import dev.depotrunner.runner.terminal.TableBrowser;
import dev.depotrunner.runner.terminal.TableBrowser.Action;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.util.List;

/**
 * Runs the interactive project and build tables of {@code depot projects list} and
 * {@code depot list builds} on the controlling terminal.
 *
 * <p>NOTE: the Depot CLI also reloads the projects on {@code r}, which this browser does not.
 */
final class ListingBrowser {

  static final List<String> PROJECT_HEADER = List.of("PROJECT ID", "NAME");
  static final List<String> BUILD_HEADER = List.of("BUILD ID", "STATUS", "STARTED", "DURATION (S)");

  /** Lines of the screen that are not table rows: the title, the header and the key help. */
  private static final int FRAME_LINES = 3;

  /** Loads the table rows of one project's builds. */
  interface BuildLoader {
    List<List<String>> builds(String projectId) throws Exception;
  }

  private final RawTerminal terminal;
  private final PushbackInputStream keys;
  private final PrintStream screen;

  private ListingBrowser(RawTerminal terminal, PrintStream screen) {
    this.terminal = terminal;
    this.keys = new PushbackInputStream(terminal.input(), 8);
    this.screen = screen;
  }

  /**
   * Returns whether {@code invocation} runs on a terminal that can browse: stdout and stdin are
   * the process's own terminal streams, and {@link RawTerminal#supported} returns true.
   */
  static boolean supported(Invocation invocation) {
    return invocation.stdoutIsTerminal()
        && invocation.stdin() == System.in
        && RawTerminal.supported(invocation.environment());
  }

  /** Browses the projects. Enter on a project browses its builds, and {@code q} there goes back. */
  static void browseProjects(PrintStream screen, List<List<String>> projects, BuildLoader loader) throws IOException {
    try (RawTerminal terminal = RawTerminal.open(screen)) {
      ListingBrowser browser = new ListingBrowser(terminal, screen);
      TableBrowser table = browser.table("Projects", PROJECT_HEADER, projects);
      while (true) {
        Action action = browser.run(table);
        if (action != Action.OPEN) {
          return;
        }

        String projectId = table.selectedRow().get(0);
        List<List<String>> builds;
        try {
          builds = loader.builds(projectId);
        } catch (Exception e) {
          table.message("Error: failed to list the builds of " + projectId + ": " + e.getMessage());
          continue;
        }
        table.message(null);
        Action inBuilds = browser.runUntilBack(browser.table("Builds of " + projectId, BUILD_HEADER, builds));
        if (inBuilds == Action.QUIT) {
          return;
        }
      }
    }
  }

  /** Browses the builds of {@code projectId} until {@code q}, Esc or Ctrl-C. */
  static void browseBuilds(PrintStream screen, String projectId, List<List<String>> builds) throws IOException {
    try (RawTerminal terminal = RawTerminal.open(screen)) {
      ListingBrowser browser = new ListingBrowser(terminal, screen);
      browser.runUntilBack(browser.table("Builds of " + projectId, BUILD_HEADER, builds));
    }
  }

  private TableBrowser table(String title, List<String> header, List<List<String>> rows) throws IOException {
    return new TableBrowser(title, header, rows, terminal.size().rows() - FRAME_LINES);
  }

  /** Runs {@code table}, ignoring enter, and returns the action of the key that leaves it. */
  private Action runUntilBack(TableBrowser table) throws IOException {
    while (true) {
      Action action = run(table);
      if (action != Action.OPEN) {
        return action;
      }
    }
  }

  /**
   * Renders {@code table} after each key until a key returns an action, or the input ends.
   *
   * <p>NOTE: the window size is read with {@code stty size} before each frame, so a resize shows
   * on the next key press, because nothing handles SIGWINCH.
   */
  private Action run(TableBrowser table) throws IOException {
    while (true) {
      RawTerminal.Size size = terminal.size();
      table.resize(size.rows() - FRAME_LINES);
      table.render(screen, size.columns());

      Key key = Key.read(keys);
      if (key == null) {
        return Action.QUIT;
      }
      Action action = table.press(key);
      if (action != Action.NONE) {
        return action;
      }
    }
  }
}
