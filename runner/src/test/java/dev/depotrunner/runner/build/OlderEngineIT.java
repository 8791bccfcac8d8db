package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A smoke subset on Debian stable's Docker Engine 20.10, whose built-in BuildKit is v0.8. */
class OlderEngineIT {

  @TempDir Path work;

  private static String engine() {
    String host = System.getenv("DEPOT_RUNNER_DOCKER20_HOST");
    if (host == null) {
      fail("DEPOT_RUNNER_DOCKER20_HOST is not set: run the tests with scripts/test");
    }
    return "docker://" + host;
  }

  private Path context(String dockerfile) throws Exception {
    Path context = work.resolve("context");
    Files.createDirectories(context);
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    Files.writeString(context.resolve("input.txt"), "from the context\n");
    return context;
  }

  @Test
  void docker20_buildsRunCopyAndExportsLocally() throws Exception {
    Path context = context("""
        ARG BASE
        FROM ${BASE}
        COPY input.txt /input.txt
        RUN cat /input.txt > /output.txt && echo built >> /output.txt
        """);
    Path out = work.resolve("out");

    var run = LocalEngine.depot(work, "build", "--builder", engine(), "--progress=plain",
        "--build-arg", "BASE=" + LocalEngine.baseImage(), "-o", "type=local,dest=" + out, context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("from the context\nbuilt\n", Files.readString(out.resolve("output.txt")));
  }

  @Test
  void docker20_loadsTaggedImage() throws Exception {
    Path context = context("ARG BASE\nFROM ${BASE}\nRUN echo loaded > /loaded\n");
    String tag = "depot-it/old-engine:" + Long.toHexString(System.nanoTime());

    var run = LocalEngine.depot(work, Map.of("DOCKER_HOST", System.getenv("DEPOT_RUNNER_DOCKER20_HOST")),
        "build", "--progress=plain", "--build-arg", "BASE=" + LocalEngine.baseImage(), "--load", "-t", tag,
        context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
  }

  @Test
  void docker20_namesMissingFeatureAndVersion() throws Exception {
    Path context = context("ARG BASE\nFROM ${BASE}\n");

    var run = LocalEngine.depot(work, "build", "--builder", engine(), "--progress=plain",
        "--build-arg", "BASE=" + LocalEngine.baseImage(), "--provenance=mode=max", "-t", "depot-it/attested:1",
        context.toString());

    assertNotEquals(0, run.exitCode());
    long lines = run.stderr().lines().filter(line -> !line.isBlank()).count();
    assertEquals(1, lines, run.stderr());
    assertTrue(run.stderr().contains("attestations"), run.stderr());
    assertTrue(run.stderr().contains("v0.11"), run.stderr());
  }
}
