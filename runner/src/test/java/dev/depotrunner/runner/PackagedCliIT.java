package dev.depotrunner.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar as {@code bin/depot} does, with only the class path its manifest names, so that a
 * library the tests see but the jar does not fails here and not on a user's machine.
 */
class PackagedCliIT {

  private static final Path JAR = Path.of("target", "depot-runner.jar");

  @TempDir Path folder;

  /** The exit code and both streams of one run of the jar. */
  record Run(int exitCode, String stdout, String stderr) {}

  @Test
  void versionPrints() throws Exception {
    Run run = depot(Map.of(), "--version");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().startsWith("depot-runner "), run.stdout());
  }

  @Test
  void bakePrintReadsComposeAndHcl() throws Exception {
    Files.writeString(folder.resolve("compose.yaml"), """
        services:
          web:
            build:
              context: .
              args:
                MODE: ${MODE:-plain}
        """);
    Files.writeString(folder.resolve("docker-bake.hcl"), """
        target "web" {
          tags = ["127.0.0.1:5000/packaged/web:1"]
        }
        """);

    Run run = depot(Map.of("MODE", "fast"), "bake", "--print", "web");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("\"MODE\": \"fast\""), run.stdout());
    assertTrue(run.stdout().contains("127.0.0.1:5000/packaged/web:1"), run.stdout());
  }

  @Test
  void buildReadsSavedLoginToken() throws Exception {
    Path config = folder.resolve("config");
    Files.createDirectories(config.resolve("depot"));
    Files.writeString(config.resolve("depot/depot.yaml"), "api_token: saved-login-token-value\n");
    Path context = Files.createDirectories(folder.resolve("context"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");

    Run run = depot(
        Map.of("XDG_CONFIG_HOME", config.toString(), "DEPOT_PROJECT_ID", "packaged-project",
            "DEPOT_API_URL", "http://127.0.0.1:" + closedPort()),
        "build", context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    assertFalse(run.stderr().contains("NoClassDefFoundError"), run.stderr());
    assertFalse(run.stderr().contains("saved-login-token-value"), run.stderr());
    assertTrue(run.stderr().contains("127.0.0.1"), run.stderr());
  }

  private Run depot(Map<String, String> variables, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(List.of(args));

    var builder = new ProcessBuilder(command).directory(folder.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> !name.equals("PATH"));
    environment.put("HOME", folder.toString());
    environment.putAll(variables);
    builder.redirectOutput(folder.resolve("stdout").toFile());
    builder.redirectError(folder.resolve("stderr").toFile());

    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("depot " + String.join(" ", args) + " did not exit within 120 s");
    }
    return new Run(
        process.exitValue(),
        Files.readString(folder.resolve("stdout"), StandardCharsets.UTF_8),
        Files.readString(folder.resolve("stderr"), StandardCharsets.UTF_8));
  }

  /** Returns a loopback port that nothing listens on. */
  private static int closedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
