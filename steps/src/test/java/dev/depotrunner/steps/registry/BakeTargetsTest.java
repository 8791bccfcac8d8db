package dev.depotrunner.steps.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.registry.RegistryException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BakeTargetsTest {

  private static final String REFERENCE = "registry.depot.dev/proj:build-1";

  private static final GetPullInfoResponse BAKE = GetPullInfoResponse.newBuilder()
      .setReference(REFERENCE)
      .addOptions(target("web", "team/web:v1"))
      .addOptions(target("api"))
      .build();

  private static final GetPullInfoResponse BUILD = GetPullInfoResponse.newBuilder()
      .setReference(REFERENCE)
      .addOptions(BuildOptions.newBuilder().setCommand(Command.COMMAND_BUILD).setSave(true)
          .addTags("team/app:v1").addTags("team/app:latest"))
      .build();

  @Test
  void pullWithoutTargetsPullsEvery() throws Exception {
    List<BakeTargets.PullImage> images = BakeTargets.pullImages("build-1", BAKE, List.of(), List.of());

    assertEquals(List.of(
        new BakeTargets.PullImage(Optional.of("web"), REFERENCE + "-web", List.of("team/web:v1")),
        new BakeTargets.PullImage(Optional.of("api"), REFERENCE + "-api", List.of())), images);
  }

  @Test
  void pullOfSeveralTargetsSuffixesUserTags() throws Exception {
    List<BakeTargets.PullImage> images =
        BakeTargets.pullImages("build-1", BAKE, List.of(), List.of("app:v2", "app"));

    assertEquals(List.of("app:v2-web", "app-web"), images.get(0).tags());
    assertEquals(List.of("app:v2-api", "app-api"), images.get(1).tags());
  }

  @Test
  void pullOfOneTargetKeepsUserTags() throws Exception {
    List<BakeTargets.PullImage> images =
        BakeTargets.pullImages("build-1", BAKE, List.of("api"), List.of("app:v2"));

    assertEquals(List.of(
        new BakeTargets.PullImage(Optional.of("api"), REFERENCE + "-api", List.of("app:v2"))), images);
  }

  @Test
  void pullOfUnknownTargetNamesTargets() {
    RegistryException error = assertThrows(RegistryException.class,
        () -> BakeTargets.pullImages("build-1", BAKE, List.of("web", "db"), List.of()));

    assertEquals("target db not found in build build-1, whose targets are web, api", error.getMessage());
  }

  @Test
  void pullOfBuildUsesFirstOptionsTags() throws Exception {
    List<BakeTargets.PullImage> images = BakeTargets.pullImages("build-1", BUILD, List.of("ignored"), List.of());

    assertEquals(List.of(new BakeTargets.PullImage(
        Optional.empty(), REFERENCE, List.of("team/app:v1", "team/app:latest"))), images);
  }

  @Test
  void pullOfBuildPrefersUserTags() throws Exception {
    List<BakeTargets.PullImage> images = BakeTargets.pullImages("build-1", BUILD, List.of(), List.of("app:v3"));

    assertEquals(List.of("app:v3"), images.get(0).tags());
  }

  @Test
  void pushOfBakeWithoutTargetNamesTargets() {
    RegistryException error = assertThrows(RegistryException.class,
        () -> BakeTargets.pushTarget("build-1", BAKE, Optional.empty()));

    assertEquals("build build-1 has several bake targets (web, api), so choose the one to push with --target",
        error.getMessage());
  }

  @Test
  void pushOfSingleTargetBakeUsesIt() throws Exception {
    GetPullInfoResponse single = GetPullInfoResponse.newBuilder()
        .setReference(REFERENCE).addOptions(target("web")).build();

    assertEquals(Optional.of("web"), BakeTargets.pushTarget("build-1", single, Optional.empty()));
  }

  @Test
  void pushOfKnownTarget() throws Exception {
    assertEquals(Optional.of("api"), BakeTargets.pushTarget("build-1", BAKE, Optional.of("api")));
  }

  @Test
  void pushOfUnknownTargetFails() {
    RegistryException error = assertThrows(RegistryException.class,
        () -> BakeTargets.pushTarget("build-1", BAKE, Optional.of("db")));

    assertEquals("target db not found in build build-1, whose targets are web, api", error.getMessage());
  }

  @Test
  void pushOfBuildKeepsRequest() throws Exception {
    assertEquals(Optional.empty(), BakeTargets.pushTarget("build-1", BUILD, Optional.empty()));
    assertEquals(Optional.of("x"), BakeTargets.pushTarget("build-1", BUILD, Optional.of("x")));
  }

  private static BuildOptions target(String name, String... tags) {
    return BuildOptions.newBuilder()
        .setCommand(Command.COMMAND_BAKE)
        .setTargetName(name)
        .setSave(true)
        .addAllTags(List.of(tags))
        .build();
  }
}
