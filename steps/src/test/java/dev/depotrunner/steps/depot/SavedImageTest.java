package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.auth.RegistryCredentials;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.OutputSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedImageTest {

  private static final String PROJECT = "project-1";
  private static final String BUILD = "build-1";
  private static final String HOST = "127.0.0.1:5002";

  @TempDir Path workingDirectory;

  @BeforeEach
  void writeContext() throws Exception {
    Path context = Files.createDirectories(workingDirectory.resolve("app"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
  }

  private BuildOptions options(boolean push, List<String> tags, List<String> outputs) throws Exception {
    return BuildOptions.builder()
        .context("app")
        .tags(tags)
        .outputs(outputs)
        .push(push)
        .save(true)
        .saveTags(List.of("v1"))
        .workingDirectory(workingDirectory)
        .environment(Map.of())
        .stdoutIsTerminal(false)
        .build();
  }

  private static CreateBuildResponse response(String user, String password) {
    String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return CreateBuildResponse.newBuilder()
        .setBuildId(BUILD)
        .setBuildToken("build-token")
        .addAdditionalTags(CreateBuildResponse.Tag.newBuilder().setTag(HOST + "/" + PROJECT + ":" + BUILD).setPush(true))
        .addAdditionalTags(CreateBuildResponse.Tag.newBuilder().setTag(HOST + "/" + PROJECT + ":v1").setPush(true))
        .addAdditionalCredentials(CreateBuildResponse.Credential.newBuilder().setHost(HOST).setToken(token))
        .build();
  }

  private static List<String> names(List<ImageReference> tags) {
    return tags.stream().map(ImageReference::toString).toList();
  }

  @Test
  void saveOnlyAddsPushingImageExport() throws Exception {
    BuildOptions options = options(false, List.of("app:dev"), List.of());

    SavedImage saved = SavedImage.add(options, response("x-token", "secret"), PROJECT, Optional.empty());

    List<String> expected = List.of(HOST + "/" + PROJECT + ":" + BUILD, HOST + "/" + PROJECT + ":v1");
    assertEquals(expected, names(saved.tags()));
    assertEquals(expected, names(saved.options().tags()));
    assertEquals(1, saved.options().outputs().size());
    OutputSpec export = saved.options().outputs().get(0);
    assertEquals("image", export.type());
    assertEquals("true", export.attributes().get("push"));
    assertEquals(RegistryCredentials.basic("x-token", "secret"), saved.credentials().get(HOST));
  }

  @Test
  void pushKeepsUserTags() throws Exception {
    BuildOptions options = options(true, List.of("127.0.0.1:5000/app:1"), List.of());

    SavedImage saved = SavedImage.add(options, response("x-token", "secret"), PROJECT, Optional.empty());

    assertEquals(List.of("127.0.0.1:5000/app:1", HOST + "/" + PROJECT + ":" + BUILD, HOST + "/" + PROJECT + ":v1"),
        names(saved.options().tags()));
    assertEquals(List.of(), saved.options().outputs());
    assertTrue(saved.options().push());
  }

  @Test
  void otherOutputsAreKept() throws Exception {
    BuildOptions options = options(false, List.of(), List.of("type=local,dest=out"));

    SavedImage saved = SavedImage.add(options, response("x-token", "secret"), PROJECT, Optional.empty());

    assertEquals(List.of("local", "image"), saved.options().outputs().stream().map(OutputSpec::type).toList());
    assertEquals(workingDirectory.resolve("out").toString(), saved.options().outputs().get(0).destination().orElseThrow());
  }

  @Test
  void imageOutputStartsPushing() throws Exception {
    BuildOptions options = options(false, List.of("app:dev"), List.of("type=image,compression=zstd"));

    SavedImage saved = SavedImage.add(options, response("x-token", "secret"), PROJECT, Optional.empty());

    assertEquals(1, saved.options().outputs().size());
    OutputSpec export = saved.options().outputs().get(0);
    assertEquals("true", export.attributes().get("push"));
    assertEquals("zstd", export.attributes().get("compression"));
    assertEquals(names(saved.tags()), names(saved.options().tags()));
  }

  @Test
  void bakeTargetSuffixesTags() throws Exception {
    BuildOptions options = options(false, List.of(), List.of());

    SavedImage saved = SavedImage.add(options, response("x-token", "secret"), PROJECT, Optional.of("web"));

    assertEquals(List.of(HOST + "/" + PROJECT + ":" + BUILD + "-web", HOST + "/" + PROJECT + ":v1-web"),
        names(saved.tags()));
  }

  @Test
  void responseWithoutTagsFallsBackToDepotRegistry() throws Exception {
    BuildOptions options = options(false, List.of(), List.of());
    CreateBuildResponse bare = CreateBuildResponse.newBuilder().setBuildId(BUILD).setBuildToken("build-token").build();

    SavedImage saved = SavedImage.add(options, bare, PROJECT, Optional.empty());

    assertEquals(List.of("registry.depot.dev/" + PROJECT + ":" + BUILD, "registry.depot.dev/" + PROJECT + ":v1"),
        names(saved.tags()));
    assertEquals(RegistryCredentials.basic("x-token", "build-token"), saved.credentials().get("registry.depot.dev"));
  }

  @Test
  void invalidCredentialNamesHost() throws Exception {
    BuildOptions options = options(false, List.of(), List.of());
    CreateBuildResponse broken = response("x-token", "secret").toBuilder()
        .setAdditionalCredentials(0, CreateBuildResponse.Credential.newBuilder().setHost(HOST).setToken("%%%"))
        .build();

    BuildStepException error = assertThrows(BuildStepException.class,
        () -> SavedImage.add(options, broken, PROJECT, Optional.empty()));

    assertTrue(error.getMessage().contains(HOST), error.getMessage());
    assertFalse(error.getMessage().contains("%%%"), error.getMessage());
  }

  @Test
  void toStringHidesSecret() throws Exception {
    SavedImage saved = SavedImage.add(options(false, List.of(), List.of()), response("x-token", "very-secret"),
        PROJECT, Optional.empty());

    assertFalse(saved.toString().contains("very-secret"), saved.toString());
  }

  @Test
  void usageListsPullAndPush() throws Exception {
    SavedImage saved = SavedImage.add(options(false, List.of(), List.of()), response("x-token", "secret"),
        PROJECT, Optional.empty());

    List<String> usage = saved.usage(PROJECT, BUILD);

    assertTrue(usage.contains("\tTo pull: depot pull --project " + PROJECT + " " + BUILD), usage.toString());
    assertTrue(usage.contains("\t\tdocker pull " + HOST + "/" + PROJECT + ":v1"), usage.toString());
    assertTrue(usage.contains("\tTo push: depot push --project " + PROJECT + " --tag <REPOSITORY:TAG> " + BUILD),
        usage.toString());
    assertFalse(usage.stream().anyMatch(line -> line.contains("docker pull") && line.contains(BUILD)), usage.toString());
  }
}
