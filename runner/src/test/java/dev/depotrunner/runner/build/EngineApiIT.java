package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.engine.DockerEngineClient;
import dev.depotrunner.engine.EngineConnector;
import dev.depotrunner.engine.ImageDetails;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code depot build} where the Docker Engine API does part of the work: loading into another engine,
 * pushing through Docker 20.10, and build contexts on stdin. Uses the engines and registry of
 * scripts/local-env; every image name starts with {@code engineio-}.
 */
class EngineApiIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  private static String docker28Host() {
    return LocalEngine.environment().get("DOCKER_HOST");
  }

  private static String docker20Host() {
    String host = LocalEngine.environment().get("DEPOT_RUNNER_DOCKER20_HOST");
    if (host == null) {
      fail("DEPOT_RUNNER_DOCKER20_HOST is not set: run `eval \"$(scripts/local-env env)\"` first");
    }
    return host;
  }

  private static DockerEngineClient engine(String dockerHost) {
    return new DockerEngineClient(EngineConnector.unixSocket(Path.of(dockerHost.replaceFirst("^unix://", ""))));
  }

  private static String unique(String name) {
    return "engineio-" + name + "-" + Long.toHexString(System.nanoTime());
  }

  private Path context(String dockerfilePath, String dockerfile, Map<String, String> files) throws IOException {
    Path context = Files.createDirectories(work.resolve("context"));
    Path file = context.resolve(dockerfilePath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, dockerfile);
    for (var entry : files.entrySet()) {
      Files.writeString(context.resolve(entry.getKey()), entry.getValue());
    }
    return context;
  }

  private static byte[] tar(Path folder, boolean gzip) throws IOException, InterruptedException {
    Path archive = Files.createTempFile("engineio-context", gzip ? ".tar.gz" : ".tar");
    try {
      var process = new ProcessBuilder("tar", gzip ? "-czf" : "-cf", archive.toString(), "-C", folder.toString(), ".")
          .redirectErrorStream(true)
          .start();
      String output = new String(process.getInputStream().readAllBytes());
      assertTrue(process.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, process.exitValue(), output);
      return Files.readAllBytes(archive);
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  @Test
  void loadFromDocker28IntoDocker20() throws Exception {
    String image = unique("load") + ":1";
    Path context = context("Dockerfile", """
        FROM %s
        RUN echo %s > /loaded
        """.formatted(LocalEngine.baseImage(), image), Map.of());

    var run = LocalEngine.depot(work, Map.of("DOCKER_HOST", docker20Host()),
        "build", "--progress=plain", "--builder", "docker://" + docker28Host(), "--load", "-t", image, context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    Optional<ImageDetails> loaded = engine(docker20Host()).inspectImage(image);
    assertTrue(loaded.isPresent(), "the image is in Docker 20.10: " + run.stderr());
    assertEquals(List.of(image), loaded.get().repoTags());
    assertTrue(engine(docker28Host()).inspectImage(image).isEmpty(), "the builder's own store did not get it");
  }

  @Test
  void pushFromDocker20ReportsRegistryDigest() throws Exception {
    Path context = context("Dockerfile", """
        FROM %s
        RUN echo pushed > /pushed-%s
        """.formatted(LocalEngine.baseImage(), Long.toHexString(System.nanoTime())), Map.of());
    String repository = unique("push");
    String image = LocalEngine.registry() + "/" + repository + ":1";
    Path metadataFile = work.resolve("metadata.json");

    var run = LocalEngine.depot(work, Map.of(),
        "build", "--progress=plain", "--builder", "docker://" + docker20Host(), "--push", "-t", image,
        "--metadata-file", metadataFile.toString(), context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("pushing " + image + " with docker"), run.stderr());
    JsonNode metadata = JSON.readTree(metadataFile.toFile());
    String digest = metadata.path("containerimage.digest").asText();
    var manifest = LocalEngine.registryManifest(repository, "1");
    assertEquals(200, manifest.statusCode());
    assertEquals(manifest.headers().firstValue("Docker-Content-Digest").orElse("none"), digest);
    String imageId = metadata.path("containerimage.config.digest").asText();
    assertTrue(imageId.startsWith("sha256:"), metadata.toString());
    assertNotEquals(digest, imageId);
  }

  @Test
  void pushToClosedPortFailsOnOneLine() throws Exception {
    Path context = context("Dockerfile", "FROM %s\n".formatted(LocalEngine.baseImage()), Map.of());
    String image = "127.0.0.1:5999/" + unique("unreachable") + ":1";

    var run = LocalEngine.depot(work, Map.of(),
        "build", "--progress=plain", "--builder", "docker://" + docker20Host(), "--push", "-t", image, context.toString());

    assertEquals(1, run.exitCode(), run.stderr());
    List<String> errors = run.stderr().lines().filter(line -> line.startsWith("ERROR")).toList();
    assertEquals(1, errors.size(), run.stderr());
    assertTrue(errors.get(0).contains("pushing " + image + " through the Docker Engine at " + docker20Host() + " failed:"), errors.get(0));
    assertTrue(errors.get(0).contains("127.0.0.1:5999"), errors.get(0));
  }

  @Test
  void contextTarOnStdinWithDockerfileInside() throws Exception {
    Path context = context("docker/app.Dockerfile", """
        FROM %s
        COPY hello.txt /hello.txt
        RUN grep -q "from the archive" /hello.txt
        """.formatted(LocalEngine.baseImage()), Map.of("hello.txt", "from the archive\n"));
    for (boolean gzip : new boolean[] {false, true}) {
      String image = unique(gzip ? "stdin-targz" : "stdin-tar") + ":1";

      var run = LocalEngine.depotWithStdin(work, Map.of(), tar(context, gzip),
          "build", "--progress=plain", "-f", "docker/app.Dockerfile", "-t", image, "-");

      assertEquals(0, run.exitCode(), run.stderr());
      assertTrue(engine(docker28Host()).inspectImage(image).isPresent(), "built " + image + ": " + run.stderr());
    }
  }

  @Test
  void dockerfileOnStdinHasNoContext() throws Exception {
    String image = unique("stdin-dockerfile") + ":1";
    byte[] dockerfile = """
        FROM %s
        RUN echo "no context" > /note
        """.formatted(LocalEngine.baseImage()).getBytes();

    var run = LocalEngine.depotWithStdin(work, Map.of(), dockerfile, "build", "--progress=plain", "-t", image, "-");

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(engine(docker28Host()).inspectImage(image).isPresent(), run.stderr());

    byte[] copying = "FROM %s\nCOPY missing.txt /\n".formatted(LocalEngine.baseImage()).getBytes();
    var failed = LocalEngine.depotWithStdin(work, Map.of(), copying, "build", "--progress=plain", "-");
    assertEquals(1, failed.exitCode(), failed.stderr());
    assertFalse(failed.stderr().isEmpty());
  }
}
