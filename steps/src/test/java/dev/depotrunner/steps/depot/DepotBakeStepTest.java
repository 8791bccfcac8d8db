package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.steps.bake.BakeDefinition;
import dev.depotrunner.steps.bake.BakeDefinitions;
import dev.depotrunner.steps.bake.BakeRequest;
import dev.depotrunner.steps.bake.BakeStep;
import dev.depotrunner.steps.bake.BakeStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepotBakeStepTest {

  private static final String TOKEN = "bake-step-test-token";
  private static final String PROJECT = "p-bake";

  @TempDir Path workingDirectory;

  private ControlPlane depot;

  @BeforeEach
  void start() throws IOException {
    depot = ControlPlane.startWithoutBuilder();
    depot.addToken(TOKEN);
    depot.addProject(PROJECT, "bake");
    Files.writeString(workingDirectory.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(workingDirectory.resolve("docker-bake.hcl"), """
        target "one" {}
        target "two" {
          project_id = "otherproj"
        }
        """);
  }

  @AfterEach
  void stop() {
    depot.close();
  }

  private BakeStepException bakeFailure(Optional<String> defaultProject) throws Exception {
    BakeDefinition definition = BakeDefinitions.resolve(new BakeRequest(List.of(), List.of("one", "two"), List.of(),
        false, false, null, null, null, null, Map.of(), workingDirectory, () -> new ByteArrayInputStream(new byte[0])));
    Supplier<BuildOptions.Builder> defaults =
        () -> BuildOptions.builder().environment(Map.of()).workingDirectory(workingDirectory);
    Map<String, BuildOptions> targets = BakeStep.validate(definition, defaults);
    var api = new BuildService(ConnectClient.create(depot.url(), "depot-runner/test/linux/amd64/terminal"));
    var step = new DepotBakeStep(api, event -> {}, Map.of(), new ByteArrayOutputStream(), "machine-1",
        Duration.ofMillis(50));

    return assertThrows(BakeStepException.class, () -> step.run(
        definition, targets, defaults, Optional.empty(), defaultProject, ApiToken.of(TOKEN)));
  }

  @Test
  void unknownTargetProject_namesTarget() throws Exception {
    BakeStepException error = bakeFailure(Optional.of(PROJECT));

    assertEquals("two", error.target());
    assertEquals("Depot API call BuildService.CreateBuild failed (not_found: project otherproj not found);"
        + " check project_id of target two", error.getMessage());
  }

  @Test
  void unknownDefaultProject_keepsProjectHint() throws Exception {
    BakeStepException error = bakeFailure(Optional.of("nope"));

    assertNull(error.target());
    assertEquals("Depot API call BuildService.CreateBuild failed (not_found: project nope not found);"
        + " check the project ID in --project, DEPOT_PROJECT_ID or depot.json", error.getMessage());
  }
}
