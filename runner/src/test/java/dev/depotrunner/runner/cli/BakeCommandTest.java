package dev.depotrunner.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.runner.Main;
import dev.depotrunner.steps.bake.BakeDefinition;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ProgressMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BakeCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path workingDirectory;
  private final Map<String, String> environment = new HashMap<>();
  private String stdin = "";
  private BakeDefinition executed;
  private BakeSettings settings;

  record Result(int exitCode, String out, String err) {}

  private Result run(String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var invocation = new Invocation(environment, workingDirectory,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false, false);
    BakeExecutor executor = (definition, bakeSettings, run) -> {
      executed = definition;
      settings = bakeSettings;
      return 0;
    };
    int exitCode = Main.run(args, invocation, (options, run) -> 0, executor);
    return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void print_writesResolvedTargetsWithoutBuilding() throws Exception {
    Files.writeString(workingDirectory.resolve("docker-bake.hcl"), """
        target "app" {
          tags = ["app:1"]
        }
        """);

    Result result = run("bake", "--print", "--push", "--set", "app.args.V=2", "app");

    assertEquals(0, result.exitCode(), result.err());
    assertNull(executed, "no build for --print");
    JsonNode printed = JSON.readTree(result.out());
    assertEquals("app", printed.at("/group/default/targets/0").asText());
    assertEquals("2", printed.at("/target/app/args/V").asText());
    assertEquals("image", printed.at("/target/app/output/0/type").asText());
    assertEquals("true", printed.at("/target/app/output/0/push").asText());
  }

  @Test
  void print_readsStdinFile() throws Exception {
    stdin = "services:\n  web:\n    build: .\n";

    Result result = run("bake", "-f", "-", "--print");

    assertEquals(0, result.exitCode(), result.err());
    assertEquals("Dockerfile", JSON.readTree(result.out()).at("/target/web/dockerfile").asText());
  }

  @Test
  void build_handsDefinitionAndSettingsToExecutor() throws Exception {
    Files.writeString(workingDirectory.resolve("docker-bake.hcl"), "target \"default\" {}\n");
    Files.writeString(workingDirectory.resolve("Dockerfile"), "FROM scratch\n");
    environment.put("BUILDKIT_PROGRESS", "plain");

    Result result = run("bake", "--metadata-file", "out/metadata.json", "--no-cache");

    assertEquals(0, result.exitCode(), result.err());
    assertNotNull(executed);
    assertEquals(Boolean.TRUE, JSON.readTree(executed.toJson()).at("/target/default/no-cache").booleanValue());
    assertEquals(workingDirectory.resolve("out/metadata.json"), settings.metadataFile().orElseThrow());
    try (BuildOptions defaults = settings.targetDefaults().get().context(".").build()) {
      assertEquals(ProgressMode.PLAIN, defaults.progress());
    }
  }

  @Test
  void build_emptyProjectAndTokenUseEnvironment() throws Exception {
    Files.writeString(workingDirectory.resolve("docker-bake.hcl"), "target \"default\" {}\n");
    Files.writeString(workingDirectory.resolve("Dockerfile"), "FROM scratch\n");
    environment.putAll(Map.of("DEPOT_TOKEN", "env-token", "DEPOT_PROJECT_ID", "env-project"));

    Result result = run("bake", "--project", "", "--token", "");

    assertEquals(0, result.exitCode(), result.err());
    assertEquals("env-project", settings.defaultProject().orElseThrow());
    try (BuildOptions defaults = settings.targetDefaults().get().context(".").build()) {
      assertEquals("env-project", defaults.project().orElseThrow());
      assertEquals("env-token", defaults.token().orElseThrow().value());
    }
  }

  @Test
  void unknownFlag_suggestsOption() {
    Result result = run("bake", "--metdata-file", "out.json", "app");

    assertEquals(2, result.exitCode(), result.err());
    assertEquals("error: unknown flag: --metdata-file (did you mean --metadata-file?)",
        result.err().lines().findFirst().orElseThrow());
    assertEquals(2, result.err().lines().count(), result.err());
    assertNull(executed);
  }

  @Test
  void malformedFile_reportedWithPosition() throws Exception {
    Files.writeString(workingDirectory.resolve("docker-bake.hcl"), """
        target "a" {
          inherits = ["a"]
        }
        """);

    Result result = run("bake", "a");

    assertEquals(1, result.exitCode());
    assertNull(executed);
    assertTrue(result.err().startsWith("ERROR: docker-bake.hcl:1:1: "), result.err());
    assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
  }
}
