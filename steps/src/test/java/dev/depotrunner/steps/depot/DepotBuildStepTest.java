package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.controlplane.DepotBuild;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Depot build lifecycle against the control plane double without a builder. */
@Timeout(60)
class DepotBuildStepTest {

  private static final String TOKEN = "step-test-token";
  private static final String PROJECT = "p-step";

  @TempDir Path workingDirectory;

  private ControlPlane depot;
  private final List<BuildEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(TOKEN);
    depot.addProject(PROJECT, "step");
    Path context = Files.createDirectories(workingDirectory.resolve("app"));
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
  }

  @AfterEach
  void stop() {
    depot.close();
  }

  private BuildOptions options(String... platforms) throws Exception {
    return BuildOptions.builder()
        .context("app")
        .tags(List.of("127.0.0.1:5000/app:1"))
        .target("release")
        .platforms(List.of(platforms))
        .push(true)
        .workingDirectory(workingDirectory)
        .environment(Map.of())
        .stdoutIsTerminal(false)
        .stdin(() -> {
          throw new AssertionError("stdin must not be read");
        })
        .build();
  }

  private DepotBuildStep step(Map<String, String> environment) {
    var api = new BuildService(ConnectClient.create(depot.url(), "depot-runner/test/linux/amd64/terminal"));
    return new DepotBuildStep(api, events::add, environment, new ByteArrayOutputStream(), "machine-1", Duration.ofMillis(50));
  }

  @Test
  void cancelWhilePending_finishesCanceled() throws Exception {
    depot.pendingPolls(Integer.MAX_VALUE, Duration.ofMillis(100));
    DepotBuildStep step = step(Map.of());
    var run = CompletableFuture.supplyAsync(() -> assertThrows(BuildStepException.class,
        () -> step.run(options(), PROJECT, ApiToken.of(TOKEN))));

    while (depot.builds().isEmpty() || depot.builds().get(0).connectionPolls() < 2) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    step.cancel();
    BuildStepException error = run.get(10, TimeUnit.SECONDS);

    DepotBuild build = depot.builds().get(0);
    assertEquals(FinishBuildRequest.ResultCase.CANCELED, build.awaitResult(Duration.ofSeconds(5)).getResultCase());
    assertTrue(error.reported());
    assertTrue(events.stream().anyMatch(BuildEvent.Cancelled.class::isInstance), events.toString());
    assertTrue(build.healthReports() >= 1, "health reports: " + build.healthReports());
  }

  @Test
  void connectionFailure_finishesWithError() throws Exception {
    DepotBuildStep step = step(Map.of());

    var error = assertThrows(BuildStepException.class, () -> step.run(options(), PROJECT, ApiToken.of(TOKEN)));

    FinishBuildRequest result = depot.builds().get(0).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.ERROR, result.getResultCase());
    assertEquals(error.getMessage(), result.getError().getError());
    assertTrue(error.getMessage().contains("unavailable: this control plane has no builder"), error.getMessage());
  }

  @Test
  void createBuild_describesOptions() throws Exception {
    DepotBuildStep step = step(Map.of());

    assertThrows(BuildStepException.class, () -> step.run(options("linux/arm64"), PROJECT, ApiToken.of(TOKEN)));

    DepotBuild build = depot.builds().get(0);
    var request = build.request();
    assertEquals(PROJECT, request.getProjectId());
    assertTrue(request.getRequiredEngine().hasBuildkit());
    assertEquals(Command.COMMAND_BUILD, request.getOptions(0).getCommand());
    assertEquals(List.of("127.0.0.1:5000/app:1"), request.getOptions(0).getTagsList());
    assertEquals("release", request.getOptions(0).getTargetName());
    assertTrue(request.getOptions(0).getPush());
    var poll = depot.calls(BuildService.GET_BUILDKIT_CONNECTION).get(0);
    assertEquals("Bearer " + build.token(), poll.authorization().orElseThrow());
    assertEquals(BuilderPlatform.BUILDER_PLATFORM_ARM64,
        ((dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionRequest) poll.request()).getPlatform());
  }

  @Test
  void buildUrl_isNoticeUnlessDisabled() throws Exception {
    assertThrows(BuildStepException.class, () -> step(Map.of()).run(options(), PROJECT, ApiToken.of(TOKEN)));
    String url = depot.builds().get(0).url();
    assertTrue(events.contains(new BuildEvent.Notice("default", BuildEvent.Level.INFO, "Build: " + url)), events.toString());

    events.clear();
    assertThrows(BuildStepException.class,
        () -> step(Map.of("DEPOT_NO_SUMMARY_LINK", "1")).run(options(), PROJECT, ApiToken.of(TOKEN)));
    assertFalse(events.stream().anyMatch(event -> event instanceof BuildEvent.Notice notice
        && notice.message().startsWith("Build: ")), events.toString());
  }

  @Test
  void unauthenticated_createsNoBuild() {
    DepotBuildStep step = step(Map.of());

    var error = assertThrows(BuildStepException.class, () -> step.run(options(), PROJECT, ApiToken.of("wrong-secret")));

    assertTrue(depot.builds().isEmpty());
    assertFalse(error.reported());
    assertTrue(error.getMessage().startsWith("Depot API call BuildService.CreateBuild failed (unauthenticated"),
        error.getMessage());
    assertFalse(error.getMessage().contains("wrong-secret"), error.getMessage());
    assertTrue(depot.calls(BuildService.FINISH_BUILD).isEmpty());
  }

  @Test
  void pollFailure_finishesWithError() throws Exception {
    depot.failNext(BuildService.GET_BUILDKIT_CONNECTION, ConnectCode.RESOURCE_EXHAUSTED, "too many builds");
    DepotBuildStep step = step(Map.of());

    var error = assertThrows(BuildStepException.class, () -> step.run(options(), PROJECT, ApiToken.of(TOKEN)));

    assertTrue(error.getMessage().contains("resource_exhausted: too many builds"), error.getMessage());
    FinishBuildRequest result = depot.builds().get(0).awaitResult(Duration.ofSeconds(5));
    assertEquals(FinishBuildRequest.ResultCase.ERROR, result.getResultCase());
  }
}
