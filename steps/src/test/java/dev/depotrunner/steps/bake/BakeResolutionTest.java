package dev.depotrunner.steps.bake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BakeResolutionTest {

  @TempDir Path work;

  private BakeDefinition resolve(String fileName, String content, List<String> targets, List<String> overrides)
      throws BakeFileException {
    return BakeDefinitions.resolve(List.of(new BakeSource(fileName, content)), request(targets, overrides, Map.of()));
  }

  private BakeRequest request(List<String> targets, List<String> overrides, Map<String, String> environment) {
    return new BakeRequest(List.of(), targets, overrides, false, false, null, null, "", "", environment, work,
        () -> new ByteArrayInputStream(new byte[0]));
  }

  @Test
  void inheritsCycle_namesChainAndPosition() {
    var error = assertThrows(BakeFileException.class, () -> resolve("docker-bake.hcl", """
        target "a" {
          inherits = ["b"]
        }
        target "b" {
          inherits = ["c"]
        }
        target "c" {
          inherits = ["a"]
        }
        """, List.of("a"), List.of()));

    assertEquals("docker-bake.hcl", error.file());
    assertTrue(error.line() > 0, error.getMessage());
    assertTrue(error.getMessage().contains("a -> b -> c -> a"), error.getMessage());
    assertTrue(error.getMessage().contains("remove one of these inherits"), error.getMessage());
  }

  @Test
  void inheritsUnknownTarget_namesReferrer() {
    var error = assertThrows(BakeFileException.class, () -> resolve("docker-bake.hcl", """
        target "app" {
          inherits = ["missing"]
        }
        """, List.of("app"), List.of()));

    assertEquals(1, error.line());
    assertEquals(1, error.column());
    assertTrue(error.getMessage().contains("target \"app\" refers to target \"missing\" is not defined"), error.getMessage());
  }

  @Test
  void inheritsDiamond_mergesParentsInOrder() throws Exception {
    BakeDefinition definition = resolve("docker-bake.hcl", """
        target "root" {
          args = { FROM = "root", ROOT = "1" }
          tags = ["root"]
        }
        target "left" {
          inherits = ["root"]
          args = { FROM = "left" }
        }
        target "right" {
          inherits = ["root"]
          args = { FROM = "right" }
          tags = ["right"]
        }
        target "app" {
          inherits = ["left", "right"]
        }
        """, List.of("app"), List.of());

    BakeTarget app = definition.targets().get("app");
    assertEquals(Map.of("FROM", "right", "ROOT", "1"), app.args);
    assertEquals(List.of("right"), app.tags);
    assertNull(app.inherits);
  }

  @Test
  void targetContextLoop_rejected() {
    var error = assertThrows(BakeFileException.class, () -> resolve("docker-bake.hcl", """
        target "a" {
          contexts = { b = "target:b" }
        }
        target "b" {
          contexts = { a = "target:a" }
        }
        """, List.of("a"), List.of()));

    assertTrue(error.getMessage().contains("target: contexts loop"), error.getMessage());
  }

  @Test
  void linkedTarget_getsCacheOnlyOutput() throws Exception {
    BakeDefinition definition = resolve("docker-bake.hcl", """
        target "base" {
          output = ["type=image"]
        }
        target "app" {
          contexts = { base = "target:base" }
        }
        """, List.of("app"), List.of());

    BakeTarget base = definition.targets().get("base");
    assertTrue(base.linked());
    assertEquals(List.of(new ExportEntry("cacheonly", new java.util.TreeMap<>(), "")), base.outputs);
    assertEquals(List.of("app"), definition.requestedTargets());
  }

  @Test
  void noCacheFilterOverride_setsValue() throws Exception {
    // buildx v0.29.1 drops a --set no-cache-filter value (it keeps only list values for that key);
    // depot bake applies it, as the flag's documentation describes.
    BakeDefinition definition = resolve("docker-bake.hcl", "target \"app\" {}\n", List.of("app"),
        List.of("app.no-cache-filter=deps", "app.ulimits=nofile=1024:2048"));

    assertEquals(List.of("deps"), definition.targets().get("app").noCacheFilter);
    assertEquals(List.of("nofile=1024:2048"), definition.targets().get("app").ulimits);
  }

  @Test
  void networkOverride_setsValue() throws Exception {
    // buildx v0.29.1 prints "network": "" for --set app.network=host; depot bake keeps the value.
    BakeDefinition definition = resolve("docker-bake.hcl", "target \"app\" {}\n", List.of("app"), List.of("app.network=host"));

    BakeTarget app = definition.targets().get("app");
    assertEquals("host", app.network);
    assertEquals(List.of("network.host"), app.entitlements);
  }

  @Test
  void secretOverride_replacesSource() throws Exception {
    // The secret.ID key is newer than buildx v0.29.1, which rejects it as an unknown key.
    BakeDefinition definition = resolve("docker-bake.hcl", """
        target "app" {
          secret = ["id=token,env=TOKEN"]
        }
        """, List.of("app"), List.of("app.secret.token=env=OTHER"));

    assertEquals(List.of(new SecretEntry("token", "", "OTHER")), definition.targets().get("app").secrets);
  }

  @Test
  void secretOverride_undeclaredRejected() {
    var error = assertThrows(BakeFileException.class, () -> resolve("docker-bake.hcl", "target \"app\" {}\n",
        List.of("app"), List.of("app.secret.token=env=OTHER")));

    assertTrue(error.getMessage().contains("declares no secret \"token\""), error.getMessage());
  }

  @Test
  void overrideUnknownKey_rejected() {
    var error = assertThrows(BakeFileException.class, () -> resolve("docker-bake.hcl", "target \"app\" {}\n",
        List.of("app"), List.of("app.tag=x")));

    assertTrue(error.getMessage().contains("unknown key \"tag\""), error.getMessage());
  }

  @Test
  void overridePatternWithoutMatch_rejected() {
    var error = assertThrows(BakeFileException.class, () -> resolve("docker-bake.hcl", "target \"app\" {}\n",
        List.of("app"), List.of("web*.tags=x")));

    assertTrue(error.getMessage().contains("no target matches \"web*\""), error.getMessage());
  }

  @Test
  void pushOverride_keepsRegistryAndAddsImage() {
    var docker = new ExportEntry("docker", new java.util.TreeMap<>(), "");
    var image = ExportEntry.parse("type=image,name=app");

    assertEquals(List.of(docker, ExportEntry.parse("type=image,push=true")), TargetOverrides.withPush(List.of(docker), true));
    assertEquals(List.of(ExportEntry.parse("type=image,name=app,push=true")), TargetOverrides.withPush(List.of(image), true));
    assertEquals(List.of(ExportEntry.parse("type=image,name=app,push=false")),
        TargetOverrides.withPush(List.of(image, ExportEntry.parse("type=registry")), false));
  }

  @Test
  void loadOverride_addsDockerOutputOnlyBesideImages() {
    var local = ExportEntry.parse("type=local,dest=out");
    var image = ExportEntry.parse("type=image");

    assertEquals(List.of(local), TargetOverrides.withLoad(List.of(local), true));
    assertEquals(List.of(image, ExportEntry.parse("type=docker")), TargetOverrides.withLoad(List.of(image), true));
  }

  @Test
  void composeRequiredVariable_missingRejected() {
    var error = assertThrows(BakeFileException.class, () -> resolve("compose.yaml", """
        services:
          app:
            build:
              args:
                VERSION: ${VERSION:?set VERSION to the release}
        """, List.of(), List.of()));

    assertTrue(error.getMessage().contains("required variable VERSION is missing a value: set VERSION to the release"),
        error.getMessage());
  }

  @Test
  void composeSyntaxError_hasPosition() {
    var error = assertThrows(BakeFileException.class, () -> resolve("compose.yaml", """
        services:
          app:
            build: [unclosed
        """, List.of(), List.of()));

    assertEquals("compose.yaml", error.file());
    assertTrue(error.line() > 0, error.getMessage());
    assertTrue(error.getMessage().startsWith("compose.yaml:"), error.getMessage());
  }

  @Test
  void composeUndefinedSecret_rejectedAtService() {
    var error = assertThrows(BakeFileException.class, () -> resolve("compose.yaml", """
        services:
          app:
            build:
              secrets: [token]
        """, List.of(), List.of()));

    assertEquals(2, error.line());
    assertEquals(3, error.column());
    assertTrue(error.getMessage().contains("secret \"token\" is not defined"), error.getMessage());
  }

  @Test
  void composeDotEnv_environmentWins() throws Exception {
    Files.writeString(work.resolve(".env"), "TAG=from-dotenv\nOTHER=dotenv\n");
    BakeDefinition definition = BakeDefinitions.resolve(List.of(new BakeSource("compose.yaml", """
        services:
          app:
            image: app:${TAG}-${OTHER}
            build: .
        """)), request(List.of(), List.of(), Map.of("TAG", "from-environment")));

    assertEquals(List.of("app:from-environment-dotenv"), definition.targets().get("app").tags);
  }

  @Test
  void defaultFiles_readInBuildxOrder() throws Exception {
    Files.writeString(work.resolve("docker-bake.override.hcl"), "target \"app\" {\n  tags = [\"override\"]\n}\n");
    Files.writeString(work.resolve("docker-bake.hcl"), "target \"app\" {\n  tags = [\"base\"]\n}\n");

    List<BakeSource> sources = BakeFiles.read(List.of(), work, () -> new ByteArrayInputStream(new byte[0]));
    BakeDefinition definition = BakeDefinitions.resolve(sources, request(List.of("app"), List.of(), Map.of()));

    assertEquals(List.of("docker-bake.hcl", "docker-bake.override.hcl"), sources.stream().map(BakeSource::name).toList());
    assertEquals(List.of("override"), definition.targets().get("app").tags);
  }

  @Test
  void stdinFile_read() throws Exception {
    byte[] content = "target \"app\" {}\n".getBytes(StandardCharsets.UTF_8);

    List<BakeSource> sources = BakeFiles.read(List.of("-"), work, () -> new ByteArrayInputStream(content));

    assertEquals(List.of(new BakeSource("-", "target \"app\" {}\n")), sources);
  }

  @Test
  void noDefaultFile_rejected() {
    var error = assertThrows(BakeFileException.class,
        () -> BakeFiles.read(List.of(), work, () -> new ByteArrayInputStream(new byte[0])));

    assertTrue(error.getMessage().contains("no bake definition found"), error.getMessage());
  }

  @Test
  void printEscapesLikeGo() throws Exception {
    BakeDefinition definition = resolve("docker-bake.hcl", """
        target "app" {
          labels = { "x" = "<a & b>" }
          dockerfile-inline = "RUN echo $${HOME}"
        }
        """, List.of("app"), List.of());

    String json = definition.toJson();

    assertTrue(json.contains("\"x\": \"\\u003ca \\u0026 b\\u003e\""), json);
    assertTrue(json.contains("\"dockerfile-inline\": \"RUN echo $${HOME}\""), json);
  }
}
