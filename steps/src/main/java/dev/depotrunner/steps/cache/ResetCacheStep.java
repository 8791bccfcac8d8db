package dev.depotrunner.steps.cache;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.ProjectsService;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ResetProjectCacheResponse;
import java.util.Objects;

/** Deletes the build cache of one project, as {@code depot cache reset} does. */
public final class ResetCacheStep {

  private final ProjectsService projects;

  public ResetCacheStep(ProjectsService projects) {
    this.projects = Objects.requireNonNull(projects);
  }

  /** Resets the cache of {@code projectId}; returns the project's and organization's names. */
  public ResetProjectCacheResponse run(String projectId, ApiToken token)
      throws DepotApiException, InterruptedException {
    if (projectId == null || projectId.isBlank()) {
      throw new IllegalArgumentException("missing project ID");
    }
    return projects.resetProjectCache(projectId, token);
  }
}
