package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.OutputSpec;
import dev.depotrunner.steps.build.options.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuilderOutputsTest {

  private static final Path SCRATCH = Path.of("/tmp/scratch");

  @TempDir Path workingDirectory;

  @BeforeEach
  void writeContext() throws Exception {
    Path context = Files.createDirectories(workingDirectory.resolve("app"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
  }

  private BuildOptions options(UnaryOperator<BuildOptions.Builder> flags) throws Exception {
    BuildOptions.Builder builder = BuildOptions.builder()
        .context("app")
        .platforms(List.of("linux/amd64,linux/arm64"))
        .workingDirectory(workingDirectory)
        .environment(Map.of())
        .stdoutIsTerminal(false)
        .stdin(() -> {
          throw new AssertionError("stdin must not be read");
        });
    return flags.apply(builder).build();
  }

  private static PlatformGroup group(String... platforms) {
    return new PlatformGroup(BuilderPlatform.BUILDER_PLATFORM_AMD64, Platform.parseAll(List.of(platforms)));
  }

  @Test
  void push_becomesPushByDigestToRepositories() throws Exception {
    BuildOptions options = options(flags -> flags.push(true)
        .tags(List.of("127.0.0.1:5000/app:1", "127.0.0.1:5000/app:latest", "127.0.0.1:5000/other:2"))
        .annotations(List.of("index:org.opencontainers.image.title=app", "manifest:ignored=1")));

    BuilderOutputs outputs = BuilderOutputs.plan(options);

    OutputSpec image = outputs.outputsFor(group("linux/amd64"), SCRATCH).get(0);
    assertEquals("image", image.type());
    assertEquals("127.0.0.1:5000/app,127.0.0.1:5000/other", image.attributes().get("name"));
    assertEquals("true", image.attributes().get("push"));
    assertEquals("true", image.attributes().get("push-by-digest"));
    assertEquals(List.of("127.0.0.1:5000/app:1", "127.0.0.1:5000/app:latest", "127.0.0.1:5000/other:2"), outputs.pushNames());
    assertEquals(Map.of("org.opencontainers.image.title", "app"), outputs.indexAnnotations());
  }

  @Test
  void registryOutput_usesItsName() throws Exception {
    BuildOptions options = options(flags -> flags.outputs(List.of("type=registry,name=127.0.0.1:5000/app:v2,annotation-index.a=b")));

    BuilderOutputs outputs = BuilderOutputs.plan(options);

    OutputSpec image = outputs.outputsFor(group("linux/amd64"), SCRATCH).get(0);
    assertEquals("127.0.0.1:5000/app", image.attributes().get("name"));
    assertEquals(List.of("127.0.0.1:5000/app:v2"), outputs.pushNames());
    assertEquals(Map.of("a", "b"), outputs.indexAnnotations());
  }

  @Test
  void local_getsPlatformFolder() throws Exception {
    BuildOptions options = options(flags -> flags.outputs(List.of("type=local,dest=out")));

    BuilderOutputs outputs = BuilderOutputs.plan(options);

    Path destination = workingDirectory.resolve("out");
    assertEquals(destination.resolve("linux_arm_v7").toString(),
        outputs.outputsFor(group("linux/arm/v7"), SCRATCH).get(0).destination().orElseThrow());
    assertEquals(destination.toString(),
        outputs.outputsFor(group("linux/amd64", "linux/386"), SCRATCH).get(0).destination().orElseThrow(),
        "BuildKit splits a multi-platform local export itself");
    assertTrue(outputs.pushNames().isEmpty());
  }

  @Test
  void unjoinableOutputs_areRejected() throws Exception {
    for (String output : List.of("type=oci,dest=out.tar", "type=docker,dest=out.tar", "type=docker")) {
      BuildOptions options = options(flags -> flags.outputs(List.of(output)));

      var error = assertThrows(BuildStepException.class, () -> BuilderOutputs.plan(options), output);

      assertTrue(error.getMessage().contains("use --push"), error.getMessage());
      assertFalse(error.getMessage().contains("\n"), error.getMessage());
    }
  }

  @Test
  void dockerOutputs_suggestNoSingleBuilder() throws Exception {
    // The docker exporter stores one platform on any number of builders, so one builder would not help.
    for (String output : List.of("type=docker,dest=out.tar", "type=docker")) {
      BuildOptions options = options(flags -> flags.outputs(List.of(output)));

      var error = assertThrows(BuildStepException.class, () -> BuilderOutputs.plan(options), output);

      assertFalse(error.getMessage().contains("--build-platform"), error.getMessage());
    }
  }

  @Test
  void tar_goesToScratchPerBuilder() throws Exception {
    BuildOptions options = options(flags -> flags.outputs(List.of("type=tar,dest=out.tar")));
    PlatformGroup amd64 = group("linux/amd64");
    PlatformGroup amd64And386 = group("linux/amd64", "linux/386");

    BuilderOutputs outputs = BuilderOutputs.plan(options);

    OutputSpec scratchTar = outputs.outputsFor(amd64, SCRATCH).get(0);
    assertEquals("tar", scratchTar.type());
    assertEquals(SCRATCH.resolve("amd64.tar").toString(), scratchTar.destination().orElseThrow());
    assertEquals(workingDirectory.resolve("out.tar").toString(), outputs.tar().orElseThrow().destination().orElseThrow());
    assertEquals("linux_amd64", BuilderOutputs.tarFolder(amd64).orElseThrow());
    assertTrue(BuilderOutputs.tarFolder(amd64And386).isEmpty(), "BuildKit splits a multi-platform tar export itself");
  }

  @Test
  void load_isRejected() throws Exception {
    BuildOptions options = options(flags -> flags.load(true));

    var error = assertThrows(BuildStepException.class, () -> BuilderOutputs.plan(options));

    assertTrue(error.getMessage().startsWith("--load:"), error.getMessage());
    assertFalse(error.getMessage().contains("--build-platform"), error.getMessage());
  }

  @Test
  void forBuilder_dropsJoinedFlags() throws Exception {
    BuildOptions options = options(flags -> flags.push(true).tags(List.of("127.0.0.1:5000/app:1"))
        .metadataFile("metadata.json").imageIdFile("iid"));
    BuilderOutputs outputs = BuilderOutputs.plan(options);
    PlatformGroup arm = group("linux/arm64");

    BuildOptions builderOptions = options.forBuilder(arm.platforms(), outputs.outputsFor(arm, SCRATCH));

    assertEquals(arm.platforms(), builderOptions.platforms());
    assertTrue(builderOptions.tags().isEmpty());
    assertFalse(builderOptions.push());
    assertTrue(builderOptions.metadataFile().isEmpty());
    assertTrue(builderOptions.imageIdFile().isEmpty());
    assertEquals(options.context(), builderOptions.context());
  }
}
