package dev.depotrunner.steps.registry;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates a token that pulls from Depot's registry, as {@code depot pull-token} does: for one
 * build if a build ID is given, otherwise for the project.
 */
public final class PullTokenStep {

  private final BuildService builds;

  public PullTokenStep(BuildService builds) {
    this.builds = Objects.requireNonNull(builds);
  }

  /** Returns the new pull token, which is a secret. */
  public String run(Optional<String> projectId, Optional<String> buildId, ApiToken token)
      throws DepotApiException, InterruptedException {
    if (projectId.isEmpty() && buildId.isEmpty()) {
      throw new IllegalArgumentException("missing project ID or build ID");
    }
    GetPullTokenRequest.Builder request = GetPullTokenRequest.newBuilder();
    projectId.ifPresent(request::setProjectId);
    buildId.ifPresent(request::setBuildId);
    return builds.getPullToken(request.build(), token).getToken();
  }
}
