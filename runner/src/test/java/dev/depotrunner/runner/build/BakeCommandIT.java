package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.runner.Main;
import dev.depotrunner.runner.cli.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code depot bake} end to end on the local Docker Engine 28 and registry from scripts/local-env. */
class BakeCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  private static LocalEngine.Run bake(Path workingDirectory, String... args) {
    return LocalEngine.bake(workingDirectory, Map.of(), args);
  }

  private void write(String name, String content) throws IOException {
    Path file = work.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static String unique(String name) {
    return "bake-" + name + "-" + Long.toHexString(System.nanoTime());
  }

  @Test
  void hclTargets_sharedBaseAndTargetContext_buildTogether() throws Exception {
    write("docker-bake.hcl", """
        variable "BASE_IMAGE" {}

        target "_common" {
          args = {
            BASE_IMAGE = BASE_IMAGE
            GREETING = "from-common"
          }
          labels = { "org.example.team" = "bake" }
        }

        target "base" {
          inherits = ["_common"]
          context = "base"
        }

        target "app" {
          inherits = ["_common"]
          context = "app"
          contexts = { base = "target:base" }
          args = { GREETING = "from-app" }
          output = ["type=local,dest=out/app"]
        }

        target "worker" {
          inherits = ["_common"]
          context = "worker"
          output = ["type=local,dest=out/worker"]
        }

        group "default" {
          targets = ["app", "worker"]
        }
        """);
    write("base/Dockerfile", """
        ARG BASE_IMAGE
        FROM ${BASE_IMAGE}
        ARG GREETING
        RUN echo "base says $GREETING" > /base.txt
        """);
    write("app/Dockerfile", """
        FROM base AS built
        ARG GREETING
        RUN cat /base.txt > /app.txt && echo "app says $GREETING" >> /app.txt

        FROM scratch
        COPY --from=built /app.txt /app.txt
        """);
    write("worker/Dockerfile", """
        ARG BASE_IMAGE
        FROM ${BASE_IMAGE} AS built
        ARG GREETING
        RUN echo "worker says $GREETING" > /worker.txt

        FROM scratch
        COPY --from=built /worker.txt /worker.txt
        """);
    Path metadataFile = work.resolve("metadata.json");

    var run = bake(work, "--progress=plain", "--set", "*.args.BASE_IMAGE=" + LocalEngine.baseImage(),
        "--metadata-file", metadataFile.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals("base says from-common\napp says from-app\n", Files.readString(work.resolve("out/app/app.txt")));
    assertEquals("worker says from-common\n", Files.readString(work.resolve("out/worker/worker.txt")));
    assertTrue(run.stderr().contains("[app "), "progress names the app target:\n" + run.stderr());
    assertTrue(run.stderr().contains("[worker "), "progress names the worker target:\n" + run.stderr());
    assertTrue(run.stderr().contains("[base "), "progress names the linked base target:\n" + run.stderr());

    JsonNode metadata = JSON.readTree(metadataFile.toFile());
    assertTrue(metadata.has("app"), metadata.toString());
    assertTrue(metadata.has("worker"), metadata.toString());
  }

  @Test
  void composeServices_pushedToRegistry() throws Exception {
    String web = unique("web");
    String api = unique("api");
    String registry = LocalEngine.registry();
    write("compose.yaml", """
        services:
          web:
            image: ${REGISTRY}/%s:1
            build:
              context: web
              args:
                BASE_IMAGE: ${BASE_IMAGE}
          api:
            image: ${REGISTRY}/%s:1
            build:
              context: api
              args:
                - BASE_IMAGE
              x-bake:
                tags:
                  - ${REGISTRY}/%s:extra
          database:
            image: postgres
        """.formatted(web, api, api));
    write(".env", "REGISTRY=" + registry + "\nBASE_IMAGE=" + LocalEngine.baseImage() + "\n");
    for (String service : new String[] {"web", "api"}) {
      write(service + "/Dockerfile", """
          ARG BASE_IMAGE
          FROM ${BASE_IMAGE}
          RUN echo %s > /service.txt
          """.formatted(service));
    }
    Path metadataFile = work.resolve("metadata.json");

    var run = bake(work, "--progress=plain", "--push", "--metadata-file", metadataFile.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode metadata = JSON.readTree(metadataFile.toFile());
    // As in buildx, x-bake tags replace the service's image name instead of adding to it.
    assertEquals(404, LocalEngine.registryManifest(api, "1").statusCode(), api + ":1 is not pushed");
    for (String[] image : new String[][] {{"web", web, "1"}, {"api", api, "extra"}}) {
      var manifest = LocalEngine.registryManifest(image[1], image[2]);
      assertEquals(200, manifest.statusCode(), image[1] + ":" + image[2] + " is in the registry");
      String digest = metadata.path(image[0]).path("containerimage.digest").asText();
      assertEquals(digest, manifest.headers().firstValue("Docker-Content-Digest").orElse(""), image[0] + " digest");
    }
    assertTrue(!metadata.has("database"), "a service without build is no target: " + metadata);
  }

  @Test
  void inheritsCycle_rejectedWithPosition() throws Exception {
    write("docker-bake.hcl", """
        target "a" {
          inherits = ["b"]
        }

        target "b" {
          inherits = ["a"]
        }
        """);

    var run = bake(work, "a");

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("docker-bake.hcl:"), run.stderr());
    assertTrue(run.stderr().contains("inherits from itself through"), run.stderr());
    assertTrue(run.stderr().contains("remove one of these inherits"), run.stderr());
    assertTrue(run.stderr().matches("(?s).*docker-bake\\.hcl:\\d+:\\d+: .*"), run.stderr());
  }

  @Test
  void unknownTargetInGroup_rejectedWithPosition() throws Exception {
    write("docker-bake.hcl", """
        target "app" {}

        group "default" {
          targets = ["app", "missing"]
        }
        """);

    var run = bake(work);

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("docker-bake.hcl:3:1: group \"default\" names target \"missing\" is not defined"),
        run.stderr());
    assertTrue(run.stderr().contains("defined: default, app"), run.stderr());
  }

  @Test
  void unknownTargetOnCommandLine_namesTheFiles() throws Exception {
    write("docker-bake.hcl", "target \"app\" {}\n");

    var run = bake(work, "nope");

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("target \"nope\" is not defined in docker-bake.hcl; defined: app"), run.stderr());
  }

  @Test
  void failingTarget_cancelsOthersAndIsNamed() throws Exception {
    write("docker-bake.hcl", """
        target "good" {
          dockerfile-inline = "FROM %s\\nRUN sleep 30\\n"
          output = ["type=cacheonly"]
        }
        target "bad" {
          dockerfile-inline = "FROM %s\\nRUN exit 3\\n"
          output = ["type=cacheonly"]
        }
        group "default" {
          targets = ["good", "bad"]
        }
        """.formatted(LocalEngine.baseImage(), LocalEngine.baseImage()));

    long started = System.nanoTime();
    var run = bake(work, "--progress=plain", "--no-cache");
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;

    assertEquals(1, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("ERROR: target bad: failed to solve"), run.stderr());
    assertTrue(seconds < 30, "the failing target cancels the sleeping one; took " + seconds + "s\n" + run.stderr());
  }
}
