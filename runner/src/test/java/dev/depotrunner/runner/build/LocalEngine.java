package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.runner.HostEnvironment;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.cli.Invocation;

/**
 * The engine and registry that {@code scripts/local-env up} starts, and a way to run {@code depot} in this
 * JVM against them. Integration tests fail, rather than skip, when the environment is missing.
 */
final class LocalEngine {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private LocalEngine() {}

  /** The variables {@code scripts/local-env env} prints, read from this process's environment without CI ones. */
  static Map<String, String> environment() {
    Map<String, String> environment = HostEnvironment.withoutCi();
    for (String name : List.of("DOCKER_HOST", "LOCAL_REGISTRY", "DEPOT_RUNNER_BASE_IMAGE")) {
      if (!environment.containsKey(name)) {
        fail(name + " is not set: run `scripts/local-env up` and `eval \"$(scripts/local-env env)\"` first,"
            + " or run the tests with scripts/test");
      }
    }
    return environment;
  }

  /**
   * Starts the control-plane double with its builder forwarding to the local Docker Engine 28, accepting
   * {@code token} and knowing each project of {@code projects}, named after its id.
   */
  static ControlPlane startDepot(String token, String... projects) throws IOException {
    String dockerHost = environment().get("DOCKER_HOST");
    ControlPlane depot = ControlPlane.start(BuilderEndpoint.parse("docker://" + dockerHost, Map.of()));
    depot.addToken(token);
    for (String project : projects) {
      depot.addProject(project, project);
    }
    return depot;
  }

  static String registry() {
    return environment().get("LOCAL_REGISTRY");
  }

  static String baseImage() {
    return environment().get("DEPOT_RUNNER_BASE_IMAGE");
  }

  /** The result of one {@code depot} run: exit code and both streams. */
  record Run(int exitCode, String stdout, String stderr) {}

  /** Runs {@code depot ARGS} in this JVM with the local engine's environment plus {@code extra}. */
  static Run depot(Path workingDirectory, Map<String, String> extra, String... args) {
    return depotWithStdin(workingDirectory, extra, new byte[0], args);
  }

  /** Runs {@code depot ARGS} as {@link #depot(Path, Map, String...)} does, with {@code stdin} as its input. */
  static Run depotWithStdin(Path workingDirectory, Map<String, String> extra, byte[] stdin, String... args) {
    Map<String, String> environment = environment();
    environment.putAll(extra);
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var invocation = new Invocation(
        environment,
        workingDirectory,
        new ByteArrayInputStream(stdin),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        false,
        false);
    int exitCode = Main.run(args, invocation, new BuildRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs {@code depot bake ARGS} in this JVM with the local engine's environment plus {@code extra}. */
  static Run bake(Path workingDirectory, Map<String, String> extra, String... args) {
    Map<String, String> environment = environment();
    environment.putAll(extra);
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var invocation = new Invocation(environment, workingDirectory, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        false, false);
    String[] command = new String[args.length + 1];
    command[0] = "bake";
    System.arraycopy(args, 0, command, 1, args.length);
    int exitCode = Main.run(command, invocation, new BuildRunner(), new BakeRunner());
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Run depot(Path workingDirectory, String... args) {
    return depot(workingDirectory, Map.of(), args);
  }

  /** Reads a manifest or index from the local registry; returns the response with its digest header. */
  static HttpResponse<byte[]> registryManifest(String repository, String reference) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create("http://" + registry() + "/v2/" + repository + "/manifests/" + reference))
        .header("Accept", String.join(",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json"))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static byte[] registryBlob(String repository, String digest) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create("http://" + registry() + "/v2/" + repository + "/blobs/" + digest)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  /** Asks the engine's API for an image, as {@code docker image inspect} does; returns the HTTP status. */
  static int engineImageStatus(String image) throws IOException, InterruptedException {
    String socket = environment().get("DOCKER_HOST").replaceFirst("^unix://", "");
    var process = new ProcessBuilder(
            "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket", socket,
            "http://localhost/images/" + image + "/json")
        .redirectErrorStream(true)
        .start();
    String status = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    process.waitFor(30, TimeUnit.SECONDS);
    return Integer.parseInt(status);
  }
}
