package dev.depotrunner.steps.bake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.steps.build.options.BuildContextSpec;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ContextSource;
import dev.depotrunner.steps.build.options.DockerfileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetBuildOptionsTest {

  @TempDir Path work;

  private Supplier<BuildOptions.Builder> defaults() {
    return () -> BuildOptions.builder().environment(Map.of()).workingDirectory(work);
  }

  private BakeTarget target(String name) throws java.io.IOException {
    Files.writeString(work.resolve("Dockerfile"), "FROM scratch\n");
    BakeTarget target = new BakeTarget(name);
    target.context = ".";
    target.dockerfile = "Dockerfile";
    return target;
  }

  @Test
  void dockerfile_relativeToContext() throws Exception {
    Files.createDirectories(work.resolve("app"));
    Files.writeString(work.resolve("app/app.Dockerfile"), "FROM scratch\n");
    BakeTarget target = target("app");
    target.context = "app";
    target.dockerfile = "app.Dockerfile";

    try (BuildOptions options = TargetBuildOptions.builder(target, defaults(), Map.of(), List.of()).build()) {
      assertEquals(new ContextSource.Local(work.resolve("app")), options.context());
      assertEquals(work.resolve("app/app.Dockerfile"), ((DockerfileSource.Local) options.dockerfile()).file());
    }
  }

  @Test
  void dockerfileInline_replacesFile() throws Exception {
    BakeTarget target = target("inline");
    target.dockerfileInline = "FROM scratch\nCOPY a /a\n";

    try (BuildOptions options = TargetBuildOptions.builder(target, defaults(), Map.of(), List.of()).build()) {
      Path file = ((DockerfileSource.Local) options.dockerfile()).file();
      assertEquals("FROM scratch\nCOPY a /a\n", Files.readString(file));
    }
  }

  @Test
  void linkedContext_readsOciLayout() throws Exception {
    BakeTarget target = target("app");
    target.contexts = new java.util.LinkedHashMap<>(Map.of("base", "target:base"));
    Path layout = Files.createDirectories(work.resolve("layouts/base"));

    try (BuildOptions options = TargetBuildOptions.builder(target, defaults(),
        Map.of("base", "oci-layout://" + layout + "@sha256:" + "a".repeat(64)), List.of()).build()) {
      BuildContextSpec context = options.buildContexts().get(0);
      assertEquals("base", context.name());
      assertTrue(context.source() instanceof BuildContextSpec.OciLayout, context.toString());
    }
  }

  @Test
  void cacheOnlyOutput_replacedByLayoutExport() throws Exception {
    BakeTarget target = target("base");
    target.outputs = List.of(ExportEntry.parse("type=cacheonly"));

    try (BuildOptions options = TargetBuildOptions.builder(target, defaults(), Map.of(),
        List.of("type=oci,tar=false,dest=" + work.resolve("layout"))).build()) {
      assertEquals(1, options.outputs().size());
      assertEquals("oci", options.outputs().get(0).type());
    }
  }

  @Test
  void callOtherThanBuild_rejected() throws Exception {
    BakeTarget target = target("app");
    target.call = "check";

    var error = assertThrows(BakeFileException.class, () -> TargetBuildOptions.builder(target, defaults(), Map.of(), List.of()));

    assertTrue(error.getMessage().contains("call = \"check\" is not supported"), error.getMessage());
  }
}
