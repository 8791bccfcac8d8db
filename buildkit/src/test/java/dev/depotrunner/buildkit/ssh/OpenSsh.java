package dev.depotrunner.buildkit.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the OpenSSH tools (ssh-keygen, ssh-agent, ssh-add) for tests, which therefore need the
 * openssh-client package installed.
 */
final class OpenSsh {

  private OpenSsh() {}

  /** The exit code and combined output of a finished command. */
  record Result(int exitCode, String output) {}

  static Result run(Map<String, String> environment, String input, String... command)
      throws IOException, InterruptedException {
    var builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    try (var stdin = process.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** Runs a command that must succeed and returns its output. */
  static String check(Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    Result result = run(environment, null, command);
    if (result.exitCode() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited with " + result.exitCode() + ": " + result.output());
    }
    return result.output();
  }

  /**
   * Generates a key pair with ssh-keygen and returns the private key's path.
   *
   * @param format {@code RFC4716} for the OpenSSH format, {@code PEM} or {@code PKCS8}
   */
  static Path keygen(Path directory, String name, String type, int bits, String format, String passphrase)
      throws IOException, InterruptedException {
    Path key = directory.resolve(name);
    List<String> command = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase));
    if (bits > 0) {
      command.addAll(List.of("-b", Integer.toString(bits)));
    }
    command.addAll(List.of("-m", format, "-C", name + "@test", "-f", key.toString()));
    check(Map.of(), command.toArray(String[]::new));
    return key;
  }

  /** Returns the key blob of a {@code .pub} file: the base64 field decoded. */
  static byte[] publicKeyBlob(Path privateKey) throws IOException {
    String line = Files.readString(Path.of(privateKey + ".pub")).trim();
    return Base64.getDecoder().decode(line.split(" ")[1]);
  }

  /** Returns the SHA256 fingerprint of a key file as ssh-keygen -l prints it. */
  static String fingerprint(Path key) throws IOException, InterruptedException {
    return check(Map.of(), "ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").split(" ")[1];
  }

  /** Starts ssh-agent in the foreground on a socket; the caller destroys the process. */
  static Process startAgent(Path socket) throws IOException, InterruptedException {
    Process agent =
        new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(socket)) {
      if (System.nanoTime() > deadline || !agent.isAlive()) {
        agent.destroyForcibly();
        throw new IOException("ssh-agent did not create " + socket);
      }
      Thread.sleep(20);
    }
    return agent;
  }
}
