package dev.depotrunner.controlplane.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DepotRegistryTest {

  private static final String TOKEN = "registry-test-token";
  private static final String PROJECT = "project-save";
  private static final String HOST = "127.0.0.1:5002";

  private ControlPlane depot;
  private DepotRegistry registry;
  private BuildService api;

  @BeforeEach
  void start() throws Exception {
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(TOKEN);
    depot.addProject(PROJECT, "save");
    registry = DepotRegistry.serve(depot, TOKEN, "pull-user", "pull-password");
    api = new BuildService(ConnectClient.create(depot.url(), "registry-test"));
  }

  @AfterEach
  void stop() {
    depot.close();
  }

  @Test
  void saveReturnsTagsAndCredentials() throws Exception {
    registry.saveBuildsIn(HOST);

    CreateBuildResponse response = createBuild(true, "v1", "", "v1", "latest");

    String id = response.getBuildId();
    assertEquals(List.of(HOST + "/" + PROJECT + ":" + id, HOST + "/" + PROJECT + ":v1",
            HOST + "/" + PROJECT + ":latest"),
        response.getAdditionalTagsList().stream().map(CreateBuildResponse.Tag::getTag).toList());
    assertTrue(response.getAdditionalTagsList().stream().allMatch(CreateBuildResponse.Tag::getPush));
    assertEquals(1, response.getAdditionalCredentialsCount());
    assertEquals(HOST, response.getAdditionalCredentials(0).getHost());

    String[] login = decode(response.getAdditionalCredentials(0).getToken());
    assertEquals(DepotRegistry.TOKEN_USER, login[0]);
    assertTrue(registry.acceptsCredentials(login[0], login[1]));
    assertTrue(registry.allows(login[0], login[1], PROJECT, "push"));
    assertTrue(registry.allows(login[0], login[1], PROJECT, "pull"));
    assertFalse(registry.allows(login[0], login[1], "other-project", "pull"));
  }

  @Test
  void pullInfoOfSavedBuildPullsOnly() throws Exception {
    registry.saveBuildsIn(HOST);
    CreateBuildResponse response = createBuild(true);

    GetPullInfoResponse pull = api.getPullInfo(
        GetPullInfoRequest.newBuilder().setBuildId(response.getBuildId()).build(), ApiToken.of(TOKEN));

    assertEquals(HOST + "/" + PROJECT + ":" + response.getBuildId(), pull.getReference());
    assertEquals(DepotRegistry.TOKEN_USER, pull.getUsername());
    assertTrue(registry.acceptsCredentials(pull.getUsername(), pull.getPassword()));
    assertTrue(registry.allows(pull.getUsername(), pull.getPassword(), PROJECT, "pull"));
    assertFalse(registry.allows(pull.getUsername(), pull.getPassword(), PROJECT, "push"));
  }

  @Test
  void pullInfoOfAddedImageKeepsGivenCredentials() throws Exception {
    registry.addBuildImage("build-added", HOST + "/seeded:1");

    GetPullInfoResponse pull = api.getPullInfo(
        GetPullInfoRequest.newBuilder().setBuildId("build-added").build(), ApiToken.of(TOKEN));

    assertEquals(HOST + "/seeded:1", pull.getReference());
    assertEquals("pull-user", pull.getUsername());
    assertEquals("pull-password", pull.getPassword());
    assertTrue(registry.allows("pull-user", "pull-password", "seeded", "push"));
  }

  @Test
  void buildWithoutSaveHasNoTags() throws Exception {
    registry.saveBuildsIn(HOST);

    CreateBuildResponse response = createBuild(false);

    assertEquals(0, response.getAdditionalTagsCount());
    assertEquals(0, response.getAdditionalCredentialsCount());
  }

  @Test
  void wrongSaveCredentialsAreRejected() throws Exception {
    registry.saveBuildsIn(HOST);
    registry.returnWrongSaveCredentials(true);

    CreateBuildResponse response = createBuild(true);

    String[] login = decode(response.getAdditionalCredentials(0).getToken());
    assertFalse(registry.acceptsCredentials(login[0], login[1]));
  }

  @Test
  void invalidSaveTagIsRejected() {
    registry.saveBuildsIn(HOST);

    DepotApiException error = assertThrows(DepotApiException.class, () -> createBuild(true, "not/a:tag"));

    assertTrue(error.getMessage().contains("not/a:tag"), error.getMessage());
  }

  @Test
  void saveWithoutRegistryIsRejected() {
    DepotApiException error = assertThrows(DepotApiException.class, () -> createBuild(true));

    assertTrue(error.getMessage().contains("no registry for saved builds"), error.getMessage());
    assertTrue(error.getMessage().contains("eval \"$(scripts/local-env env)\""), error.getMessage());
  }

  private CreateBuildResponse createBuild(boolean save, String... saveTags) throws Exception {
    return api.createBuild(CreateBuildRequest.newBuilder()
        .setProjectId(PROJECT)
        .addOptions(BuildOptions.newBuilder().setSave(save).addAllSaveTags(List.of(saveTags)))
        .build(), ApiToken.of(TOKEN));
  }

  private static String[] decode(String token) {
    return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
  }
}
