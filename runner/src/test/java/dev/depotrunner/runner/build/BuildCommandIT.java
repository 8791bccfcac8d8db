package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code depot build} end to end on the local Docker Engine 28 and registry from scripts/local-env. */
class BuildCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  private Path context(String dockerfile, Map<String, String> files) throws IOException {
    Path context = work.resolve("context");
    Files.createDirectories(context);
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    for (var file : files.entrySet()) {
      Path path = context.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return context;
  }

  private static String uniqueRepository(String name) {
    return "it/" + name + "-" + Long.toHexString(System.nanoTime());
  }

  @Test
  void multiStage_targetArgsAndLabelsReachImage() throws Exception {
    Path context = context("""
        ARG BASE
        FROM ${BASE} AS base
        ARG GREETING=unset
        RUN echo "$GREETING" > /greeting

        FROM base AS tools
        COPY input.txt /input.txt
        RUN cat /input.txt /greeting > /combined

        FROM base AS never-built
        RUN exit 7
        """, Map.of("input.txt", "from the context\n"));
    String repository = uniqueRepository("multistage");
    String image = LocalEngine.registry() + "/" + repository + ":1";
    Path metadataFile = work.resolve("metadata.json");

    var pushed = LocalEngine.depot(work, "build", "--progress=plain", "--target", "tools",
        "--build-arg", "BASE=" + LocalEngine.baseImage(), "--build-arg", "GREETING=hola",
        "--label", "org.example.team=builders", "-t", image, "--push",
        "--metadata-file", metadataFile.toString(), context.toString());

    assertEquals(0, pushed.exitCode(), pushed.stderr());
    JsonNode metadata = JSON.readTree(metadataFile.toFile());
    String digest = metadata.get("containerimage.digest").asText();
    assertEquals(image, metadata.get("image.name").asText());
    assertTrue(metadata.get("containerimage.descriptor").isObject());

    var manifest = LocalEngine.registryManifest(repository, "1");
    assertEquals(200, manifest.statusCode());
    assertEquals(digest, manifest.headers().firstValue("Docker-Content-Digest").orElse(""));

    JsonNode config = imageConfig(repository, JSON.readTree(manifest.body()));
    assertEquals("builders", config.at("/config/Labels/org.example.team").asText());

    Path out = work.resolve("out");
    var exported = LocalEngine.depot(work, "build", "--progress=plain", "--target", "tools",
        "--build-arg", "BASE=" + LocalEngine.baseImage(), "--build-arg", "GREETING=hola",
        "-o", "type=local,dest=" + out, context.toString());

    assertEquals(0, exported.exitCode(), exported.stderr());
    assertEquals("from the context\nhola\n", Files.readString(out.resolve("combined")));
    assertFalse(exported.stderr().contains("exit 7"));
  }

  private static JsonNode imageConfig(String repository, JsonNode manifest) throws Exception {
    JsonNode imageManifest = manifest;
    if (manifest.has("manifests")) {
      String platformDigest = "";
      for (JsonNode entry : manifest.get("manifests")) {
        if (entry.at("/platform/architecture").asText().equals("amd64")) {
          platformDigest = entry.get("digest").asText();
        }
      }
      imageManifest = JSON.readTree(LocalEngine.registryManifest(repository, platformDigest).body());
    }
    String configDigest = imageManifest.at("/config/digest").asText();
    return JSON.readTree(LocalEngine.registryBlob(repository, configDigest));
  }

  @Test
  void secret_readableInRunAndAbsentFromOutputs() throws Exception {
    String secret = "s3cr3t-" + Long.toHexString(System.nanoTime());
    Path context = context("""
        ARG BASE
        FROM ${BASE}
        RUN --mount=type=secret,id=token sha256sum /run/secrets/token | cut -d' ' -f1 > /token.sha256 \\
            && cat /run/secrets/token > /dev/null && echo "secret was mounted"
        """, Map.of());
    Path tarball = work.resolve("image.tar");

    // BuildKit leaves secret values out of the cache key, so a RUN cached by an earlier build on the
    // same engine would hold the hash of that build's secret.
    var run = LocalEngine.depot(work, Map.of("IT_TOKEN", secret), "build", "--progress=plain", "--no-cache",
        "--build-arg", "BASE=" + LocalEngine.baseImage(), "--secret", "id=token,env=IT_TOKEN",
        "-o", "type=tar,dest=" + tarball, context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    byte[] tar = Files.readAllBytes(tarball);
    String expectedHash = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    String tarText = new String(tar, StandardCharsets.ISO_8859_1);
    assertTrue(tarText.contains(expectedHash), "the RUN step saw the secret");
    assertFalse(tarText.contains(secret), "the secret is in the exported files");
    assertFalse(run.stderr().contains(secret), "the secret is in the log");
    assertFalse(run.stdout().contains(secret), "the secret is on stdout");
  }

  @Test
  void cacheFrom_missingLocalFolderIsSkipped() throws Exception {
    Path context = context("ARG BASE\nFROM ${BASE}\nRUN echo cold > /cold\n", Map.of());
    Path missing = work.resolve("no-cache-yet");

    var run = LocalEngine.depot(work, "build", "--progress=plain", "--build-arg", "BASE=" + LocalEngine.baseImage(),
        "--cache-from", "type=local,src=" + missing, "--output", "type=cacheonly", context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("local cache import at " + missing + " not found"), run.stderr());
    assertFalse(run.stderr().contains("ERROR"), run.stderr());
    assertFalse(run.stderr().contains("importing cache manifest"), run.stderr());
  }

  @Test
  void load_putsImageInEngine() throws Exception {
    Path context = context("ARG BASE\nFROM ${BASE}\nRUN echo loaded > /loaded\n", Map.of());
    String tag = "depot-it/loaded:" + Long.toHexString(System.nanoTime());

    var run = LocalEngine.depot(work, "build", "--progress=plain", "--build-arg", "BASE=" + LocalEngine.baseImage(),
        "--load", "-t", tag, context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(200, LocalEngine.engineImageStatus(tag));
  }

  @Test
  void unchangedContext_rebuildIsCachedAndSendsNoContent() throws Exception {
    Path context = context("""
        ARG BASE
        FROM ${BASE}
        COPY . /ctx
        RUN wc -c /ctx/big.bin > /size
        """, Map.of());
    byte[] big = new byte[2 * 1024 * 1024];
    new java.util.Random(System.nanoTime()).nextBytes(big);
    Files.write(context.resolve("big.bin"), big);
    String[] args = {"build", "--progress=plain", "--build-arg", "BASE=" + LocalEngine.baseImage(), context.toString()};

    var first = LocalEngine.depot(work, args);
    var second = LocalEngine.depot(work, args);

    assertEquals(0, first.exitCode(), first.stderr());
    assertEquals(0, second.exitCode(), second.stderr());
    assertTrue(contextBytes(first.stderr()) >= big.length, first.stderr());
    assertTrue(contextBytes(second.stderr()) < 64 * 1024, second.stderr());
    assertTrue(second.stderr().contains("COPY . /ctx\n") && second.stderr().matches("(?s).*#\\d+ \\[2/3\\] COPY \\. /ctx\\n#\\d+ CACHED.*"),
        second.stderr());
    assertTrue(second.stderr().matches("(?s).*#\\d+ \\[3/3\\] RUN wc -c /ctx/big.bin > /size\\n#\\d+ CACHED.*"),
        second.stderr());
  }

  /** Returns the largest "transferring context: N" amount in plain progress, in bytes. */
  private static long contextBytes(String plainProgress) {
    Matcher matcher = Pattern.compile("transferring context: ([0-9.]+)([kMG]?B)").matcher(plainProgress);
    long largest = -1;
    while (matcher.find()) {
      double amount = Double.parseDouble(matcher.group(1));
      long unit = switch (matcher.group(2)) {
        case "kB" -> 1000;
        case "MB" -> 1000 * 1000;
        case "GB" -> 1000L * 1000 * 1000;
        default -> 1;
      };
      largest = Math.max(largest, (long) (amount * unit));
    }
    return largest;
  }

  @Test
  void failingRun_exitsOneAndShowsLine() throws Exception {
    Path context = context("""
        ARG BASE
        FROM ${BASE}
        RUN echo "about to fail" && exit 3
        RUN echo never
        """, Map.of());

    var run = LocalEngine.depot(work, "build", "--progress=plain", "--build-arg", "BASE=" + LocalEngine.baseImage(),
        context.toString());

    assertEquals(1, run.exitCode());
    assertTrue(run.stderr().contains("about to fail"), run.stderr());
    assertTrue(run.stderr().contains(">>> RUN echo \"about to fail\" && exit 3"), run.stderr());
    assertTrue(run.stderr().contains("exit code: 3"), run.stderr());
    assertFalse(run.stderr().contains("\tat "), "no stack trace without --debug");
  }

  @Test
  void badInput_givesOneLineErrors() throws Exception {
    Path context = context("ARG BASE\nFROM ${BASE}\n", Map.of());
    String[][] cases = {
      {"missing.Dockerfile", "build", "-f", work.resolve("missing.Dockerfile").toString(), context.toString()},
      {"unix:///nonexistent/buildkitd.sock", "build", "--builder", "unix:///nonexistent/buildkitd.sock", context.toString()},
      {"type=bogus", "build", "-o", "type=bogus", context.toString()},
      {"Invalid/Tag", "build", "-t", "Invalid/Tag:1", context.toString()},
      {"no-such-folder", "build", work.resolve("no-such-folder").toString()},
    };

    for (String[] testCase : cases) {
      String[] args = java.util.Arrays.copyOfRange(testCase, 1, testCase.length);
      var run = LocalEngine.depot(work, args);
      long lines = run.stderr().lines().filter(line -> !line.isBlank()).count();

      assertNotEquals(0, run.exitCode(), String.join(" ", args));
      assertEquals(1, lines, String.join(" ", args) + " printed:\n" + run.stderr());
      assertTrue(run.stderr().contains(testCase[0]), run.stderr());
      assertFalse(run.stderr().contains("Exception"), run.stderr());
    }
  }
}
