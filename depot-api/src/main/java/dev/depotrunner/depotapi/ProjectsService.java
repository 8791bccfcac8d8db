package dev.depotrunner.depotapi;

import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsRequest;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsResponse;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ResetProjectCacheRequest;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ResetProjectCacheResponse;
import java.util.Objects;

/** Depot's {@code depot.cli.v1beta1.ProjectsService}: the projects a token can build in. */
public final class ProjectsService {

  public static final String NAME = "depot.cli.v1beta1.ProjectsService";

  public static final ConnectMethod<ListProjectsRequest, ListProjectsResponse> LIST_PROJECTS =
      ConnectMethod.of(NAME, "ListProjects",
          ListProjectsRequest.getDefaultInstance(), ListProjectsResponse.getDefaultInstance());
  public static final ConnectMethod<ResetProjectCacheRequest, ResetProjectCacheResponse> RESET_PROJECT_CACHE =
      ConnectMethod.of(NAME, "ResetProjectCache",
          ResetProjectCacheRequest.getDefaultInstance(), ResetProjectCacheResponse.getDefaultInstance());

  private final ConnectClient client;

  public ProjectsService(ConnectClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public ListProjectsResponse listProjects(ApiToken token) throws DepotApiException, InterruptedException {
    return client.unary(LIST_PROJECTS, ListProjectsRequest.getDefaultInstance(), token);
  }

  /** Deletes the build cache of a project; returns the project's and organization's names. */
  public ResetProjectCacheResponse resetProjectCache(String projectId, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(RESET_PROJECT_CACHE,
        ResetProjectCacheRequest.newBuilder().setProjectId(projectId).build(), token);
  }
}
