package dev.depotrunner.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.registry.DepotAccount;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.proto.cli.v1.Build;
import dev.depotrunner.depotapi.proto.cli.v1.BuildStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar in a pseudo-terminal that {@code script} creates, types keys into the project
 * and build browser, and reads the screen it draws, against the control-plane double.
 */
class TerminalBrowserIT {

  private static final Path JAR = Path.of("target", "depot-runner.jar");
  private static final String TOKEN = "terminal-browser-token";
  private static final long WAIT_MILLIS = 60_000;
  private static final Pattern STTY_LINE = Pattern.compile("stty (before|after): (\\S+)");

  @TempDir Path folder;

  private ControlPlane depot;

  @BeforeEach
  void startDepot() throws IOException {
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(TOKEN);
    depot.addProject("p-first", "web");
    depot.addProject("p-second", "api");
    DepotAccount account = DepotAccount.serve(depot, TOKEN);
    account.addBuild("p-first", build("b-first-only"));
    account.addBuild("p-second", build("b-second-1"));
    account.addBuild("p-second", build("b-second-2"));
  }

  @AfterEach
  void stopDepot() {
    depot.close();
  }

  @Test
  void enterOnSecondProjectShowsItsBuilds() throws Exception {
    Screen screen = start("projects list");

    screen.await("p-second");
    screen.type("j");
    screen.type("\r");
    screen.await("b-second-2");
    screen.type("q");
    screen.await("\u001b[7mp-second");
    screen.type("q");
    int exitCode = screen.exitCode();

    String text = screen.text();
    assertEquals(0, exitCode, text);
    assertTrue(text.contains("Builds of p-second"), text);
    assertTrue(text.contains("b-second-1"), text);
    assertFalse(text.contains("b-first-only"), text);
    assertTerminalRestored(text);
    assertEquals(1, depot.calls(BuildService.LIST_BUILDS).size());
  }

  @Test
  void listBuildsBrowsesAndQuits() throws Exception {
    Screen screen = start("list builds --project p-second");

    screen.await("b-second-2");
    screen.type("\u001b[B");
    screen.await("\u001b[7mb-second-2");
    screen.type("q");
    int exitCode = screen.exitCode();

    String text = screen.text();
    assertEquals(0, exitCode, text);
    assertTrue(text.contains("Builds of p-second"), text);
    assertTerminalRestored(text);
  }

  @Test
  void failedBuildListShowsError() throws Exception {
    depot.failNext(BuildService.LIST_BUILDS, ConnectCode.UNAVAILABLE, "builds are down");
    Screen screen = start("projects list");

    screen.await("p-second");
    screen.type("\r");
    screen.await("Error: failed to list the builds of p-first");
    screen.type("q");
    int exitCode = screen.exitCode();

    String text = screen.text();
    assertEquals(0, exitCode, text);
    assertFalse(text.contains("Builds of p-first"), text);
    assertTerminalRestored(text);
  }

  @Test
  void interruptRestoresTerminal() throws Exception {
    Screen screen = start("projects list");

    screen.await("p-second");
    screen.type("\u0003");
    int exitCode = screen.exitCode();

    String text = screen.text();
    assertEquals(130, exitCode, text);
    assertTerminalRestored(text);
  }

  @Test
  void outputFlagPrintsCsvOnTerminal() throws Exception {
    Screen screen = start("list projects --output csv");

    int exitCode = screen.exitCode();

    String text = screen.text();
    assertEquals(0, exitCode, text);
    assertTrue(text.contains("Project ID,Name\r\np-first,web\r\np-second,api\r\n"), text);
    assertFalse(text.contains("\u001b[?1049h"), text);
  }

  @Test
  void dumbTerminalPrintsTable() throws Exception {
    Screen screen = start("projects list", "dumb");

    int exitCode = screen.exitCode();

    String text = screen.text();
    assertEquals(0, exitCode, text);
    assertTrue(text.contains("PROJECT ID   NAME\r\np-first      web\r\n"), text);
    assertFalse(text.contains("\u001b[?1049h"), text);
  }

  private static void assertTerminalRestored(String text) {
    Matcher matcher = STTY_LINE.matcher(text);
    assertTrue(matcher.find(), text);
    String before = matcher.group(2);
    assertTrue(matcher.find(), text);
    String after = matcher.group(2);
    assertEquals(before, after, "stty -g before and after the browser");
    assertTrue(text.contains("\u001b[?1049l"), "the alternate screen was not left: " + text);
  }

  private Screen start(String arguments) throws IOException {
    return start(arguments, "xterm");
  }

  /**
   * Starts {@code depot ARGUMENTS} under {@code script}, between two {@code stty -g} runs in the same
   * pseudo-terminal, with a fixed 24x80 window. The shell traps SIGINT so that it outlives a Ctrl-C and
   * runs the second {@code stty -g}, and java still gets the default SIGINT action because exec resets
   * a trapped signal.
   */
  private Screen start(String arguments, String term) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String shell = "trap true INT; stty rows 24 cols 80; echo \"stty before: $(stty -g)\"; "
        + "'" + java + "' -jar '" + JAR.toAbsolutePath() + "' " + arguments + "; code=$?; "
        + "echo \"stty after: $(stty -g)\"; exit $code";
    ProcessBuilder builder = new ProcessBuilder(List.of("script", "-qec", shell, "/dev/null"))
        .directory(folder.toFile())
        .redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> !name.equals("PATH"));
    environment.put("HOME", folder.toString());
    environment.put("TERM", term);
    environment.put("DEPOT_API_URL", depot.url().toString());
    environment.put("DEPOT_TOKEN", TOKEN);
    return new Screen(builder.start());
  }

  private static Build build(String id) {
    return Build.newBuilder().setId(id).setStatus(BuildStatus.BUILD_STATUS_FINISHED)
        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_780_000_000L))
        .setFinishedAt(Timestamp.newBuilder().setSeconds(1_780_000_030L))
        .build();
  }

  /** The bytes a process under {@code script} writes to its terminal, and its keyboard. */
  private static final class Screen {

    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread reader;

    Screen(Process process) {
      this.process = process;
      this.reader = new Thread(this::copyOutput, "script-output");
      reader.start();
    }

    private void copyOutput() {
      byte[] buffer = new byte[4096];
      try (InputStream in = process.getInputStream()) {
        int count;
        while ((count = in.read(buffer)) >= 0) {
          synchronized (output) {
            output.write(buffer, 0, count);
          }
        }
      } catch (IOException e) {
        // The pipe closes when the process ends, so the bytes read so far are the whole output.
      }
    }

    String text() {
      synchronized (output) {
        return output.toString(StandardCharsets.UTF_8);
      }
    }

    /** Waits until the output contains {@code expected}, because keys typed earlier reach a terminal not yet in raw mode. */
    void await(String expected) throws InterruptedException {
      long deadline = System.currentTimeMillis() + WAIT_MILLIS;
      while (!text().contains(expected)) {
        if (System.currentTimeMillis() > deadline || !process.isAlive()) {
          throw new AssertionError("screen did not show " + expected + " within " + WAIT_MILLIS + " ms: " + text());
        }
        Thread.sleep(50);
      }
    }

    void type(String keys) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write(keys.getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    int exitCode() throws InterruptedException {
      if (!process.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("depot did not exit within " + WAIT_MILLIS + " ms: " + text());
      }
      reader.join(WAIT_MILLIS);
      return process.exitValue();
    }
  }
}
