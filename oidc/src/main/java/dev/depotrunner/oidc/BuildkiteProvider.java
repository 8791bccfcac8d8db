package dev.depotrunner.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Requests the job's OIDC token from the Buildkite agent with
 * {@code buildkite-agent oidc request-token --audience https://depot.dev}. The agent reads its job
 * and access token from the environment, so it runs with the job's environment, not this process's.
 */
final class BuildkiteProvider implements IdentityProvider {

  static final String NAME = "Buildkite";
  static final String AGENT = "buildkite-agent";

  /** Bounds what is read from the agent; an OIDC token is a few kilobytes. */
  private static final int MAX_OUTPUT_BYTES = 64 * 1024;

  private final Duration timeout;
  private final TokenInspector inspector;

  BuildkiteProvider(Duration timeout, TokenInspector inspector) {
    this.timeout = timeout;
    this.inspector = inspector;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Attempt attempt(Environment environment, Consumer<String> secrets)
      throws IdentityException {
    // The agent sets BUILDKITE_AGENT_ACCESS_TOKEN in every job; the Depot CLI checks it too.
    if (!environment.isSet("BUILDKITE_AGENT_ACCESS_TOKEN")) {
      return Attempt.skipped("BUILDKITE_AGENT_ACCESS_TOKEN is not set");
    }
    Optional<Path> agent = findOnPath(environment);
    if (agent.isEmpty()) {
      return Attempt.skipped(AGENT + " is not on the job's PATH");
    }

    String token = requestToken(agent.get(), environment);
    IdentitySummary identity = inspector.inspect(token, AGENT + " oidc request-token",
        "the agent ignored --audience; update " + AGENT, BuildkiteProvider::pipeline);
    return Attempt.found(new DepotToken(token, NAME + " OIDC", Optional.of(identity)),
        "requested a token from " + agent.get() + ", " + identity.describe());
  }

  static Optional<Path> findOnPath(Environment environment) {
    String path = environment.get("PATH").orElse("");
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      try {
        Path candidate = Path.of(directory, AGENT);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      } catch (InvalidPathException e) {
        // A malformed PATH entry names no agent; the remaining entries may.
      }
    }
    return Optional.empty();
  }

  private String requestToken(Path agent, Environment environment) throws IdentityException {
    String command = AGENT + " oidc request-token";
    ProcessBuilder builder = new ProcessBuilder(agent.toString(), "oidc", "request-token",
        "--audience", TokenInspector.DEPOT_AUDIENCE);
    builder.environment().clear();
    builder.environment().putAll(environment.asMap());

    Process process;
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new IdentityException("failed to start " + agent + ": " + e.getMessage()
          + "; check that " + AGENT + " on the job's PATH is executable", e);
    }
    CompletableFuture<String> output = readAsync(process.getInputStream(), AGENT + " stdout");
    CompletableFuture<String> errors = readAsync(process.getErrorStream(), AGENT + " stderr");

    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IdentityException(command + " timed out after " + HttpCalls.describe(timeout)
            + "; check that the Buildkite agent can reach the Buildkite API");
      }

      if (process.exitValue() != 0) {
        throw new IdentityException(command + " failed with exit code " + process.exitValue()
            + lastLine(errors) + "; check that the pipeline may request OIDC tokens");
      }

      String token = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS).strip();
      if (token.isEmpty()) {
        throw new IdentityException(command + " printed no token; update " + AGENT);
      }
      return token;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IdentityException(command + " was interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IdentityException("failed to read the output of " + command + ": " + e, e);
    }
  }

  /**
   * Reads a stream of the agent on its own daemon thread, so that a full stderr pipe cannot stall
   * the agent while stdout is read, and no shared pool thread blocks on the process.
   */
  private static CompletableFuture<String> readAsync(InputStream stream, String name) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (stream) {
        byte[] bytes = stream.readNBytes(MAX_OUTPUT_BYTES);
        stream.transferTo(OutputStream.nullOutputStream());
        text.complete(new String(bytes, StandardCharsets.UTF_8));
      } catch (IOException e) {
        text.completeExceptionally(e);
      }
    }, name);
    reader.setDaemon(true);
    reader.start();
    return text;
  }

  /** Returns ": " and the last line the agent wrote to stderr, or nothing when it wrote none. */
  private String lastLine(CompletableFuture<String> errors) {
    String text;
    try {
      text = errors.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (ExecutionException | TimeoutException e) {
      return "";
    }
    List<String> lines = text.strip().lines().toList();
    return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
  }

  /** Names the pipeline as organization/pipeline, Buildkite's nearest claim to a repository. */
  private static String pipeline(JWTClaimsSet claims) {
    String organization = TokenInspector.stringClaim(claims, "organization_slug");
    String pipeline = TokenInspector.stringClaim(claims, "pipeline_slug");
    if (pipeline.isEmpty()) {
      return "";
    }
    return organization.isEmpty() ? pipeline : organization + "/" + pipeline;
  }
}
