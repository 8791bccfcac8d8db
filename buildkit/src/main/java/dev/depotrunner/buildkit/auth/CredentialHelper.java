package dev.depotrunner.buildkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A docker credential helper program ({@code docker-credential-NAME}), called the way
 * docker/docker-credential-helpers' client does: {@code get} with the server URL on stdin, and a
 * JSON object {@code {"ServerURL", "Username", "Secret"}} on stdout.
 */
final class CredentialHelper {

  static final String PROGRAM_PREFIX = "docker-credential-";

  /** The stdout of a helper that has nothing stored for the server; docker treats it as no credentials. */
  private static final String NOT_FOUND_MESSAGE = "credentials not found in native keychain";

  /** The user name helpers store with an identity token in place of a password. */
  private static final String TOKEN_USERNAME = "<token>";

  private static final int MAX_OUTPUT_BYTES = 1 << 20;
  private static final int MAX_MESSAGE_CHARS = 200;

  private final String name;
  private final Path executable;
  private final Map<String, String> environment;
  private final Duration timeout;

  private CredentialHelper(
      String name, Path executable, Map<String, String> environment, Duration timeout) {
    this.name = name;
    this.executable = executable;
    this.environment = environment;
    this.timeout = timeout;
  }

  /**
   * Finds {@code docker-credential-NAME} on the {@code PATH} of {@code environment}, which is also
   * the environment the helper runs with.
   */
  static Optional<CredentialHelper> find(
      String name, Map<String, String> environment, Duration timeout) {
    return findProgram(PROGRAM_PREFIX + name, environment)
        .map(path -> new CredentialHelper(name, path, environment, timeout));
  }

  /** Returns the first executable file named {@code program} in the directories of {@code PATH}. */
  static Optional<Path> findProgram(String program, Map<String, String> environment) {
    String searchPath = environment.getOrDefault("PATH", "");
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      try {
        Path candidate = Path.of(directory, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        // A PATH entry that is no valid path cannot contain the program.
      }
    }
    return Optional.empty();
  }

  String programName() {
    return PROGRAM_PREFIX + name;
  }

  /**
   * Runs {@code get} for {@code serverUrl}. A helper that has nothing stored returns
   * {@link RegistryCredentials#none()}, as docker does.
   */
  RegistryCredentials get(String serverUrl) throws CredentialsException {
    Output output = run("get", serverUrl);
    String stdout = new String(output.stdout(), StandardCharsets.UTF_8).trim();

    if (output.exitCode() != 0) {
      if (stdout.equals(NOT_FOUND_MESSAGE)) {
        return RegistryCredentials.none();
      }
      throw new CredentialsException(
          String.format(
              "credential helper %s failed to get credentials for %s (exit code %d): %s",
              programName(), serverUrl, output.exitCode(), abbreviate(stdout)));
    }

    return parseCredentials(output.stdout(), serverUrl);
  }

  private RegistryCredentials parseCredentials(byte[] stdout, String serverUrl)
      throws CredentialsException {
    JsonNode root;
    try {
      root = Mapper.JSON.readTree(stdout);
    } catch (IOException e) {
      // The output may contain the secret, so neither it nor the parser's message is included.
      throw new CredentialsException(
          "credential helper " + programName() + " returned invalid JSON for " + serverUrl);
    }
    if (root == null || !root.isObject()) {
      throw new CredentialsException(
          "credential helper " + programName() + " returned no JSON object for " + serverUrl);
    }

    String username = JsonFields.text(root, "Username");
    String secret = JsonFields.text(root, "Secret");
    if (username.equals(TOKEN_USERNAME)) {
      return RegistryCredentials.fromIdentityToken(secret);
    }
    return RegistryCredentials.basic(username, secret);
  }

  private Output run(String action, String input) throws CredentialsException {
    var builder = new ProcessBuilder(List.of(executable.toString(), action));
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);

    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CredentialsException(
          "failed to start credential helper " + executable + ": " + e.getMessage(), e);
    }

    // Read stdout on another thread so that a helper that never exits can be stopped on timeout.
    CompletableFuture<byte[]> stdout =
        CompletableFuture.supplyAsync(() -> readLimited(process.getInputStream()));
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // A helper may exit without reading stdin; its exit code and output tell what happened.
    }

    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new CredentialsException(
            String.format(
                "credential helper %s timed out after %d s for %s",
                programName(), timeout.toSeconds(), input));
      }
      return new Output(process.exitValue(), stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CredentialsException("interrupted while running " + programName(), e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new CredentialsException("failed to read the output of " + programName(), e);
    }
  }

  private static byte[] readLimited(InputStream stream) {
    try (stream) {
      byte[] data = stream.readNBytes(MAX_OUTPUT_BYTES);
      stream.transferTo(OutputStream.nullOutputStream());
      return data;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String abbreviate(String message) {
    if (message.isEmpty()) {
      return "no output";
    }
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private record Output(int exitCode, byte[] stdout) {}

  /**
   * The JSON mapper, in a class of its own so that it is initialized on first use: every build looks
   * for a default helper, few run one, and creating the first ObjectMapper is slow.
   */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }
}
