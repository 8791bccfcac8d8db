package dev.depotrunner.depotapi;

import dev.depotrunner.depotapi.proto.core.v1.CreateProjectRequest;
import dev.depotrunner.depotapi.proto.core.v1.CreateProjectResponse;
import dev.depotrunner.depotapi.proto.core.v1.DeleteProjectRequest;
import dev.depotrunner.depotapi.proto.core.v1.DeleteProjectResponse;
import java.util.Objects;

/**
 * Depot's {@code depot.core.v1.ProjectService}: creating and deleting projects. Listing projects
 * and resetting their cache go through {@link ProjectsService} instead, as the Depot CLI does.
 */
public final class ProjectService {

  public static final String NAME = "depot.core.v1.ProjectService";

  public static final ConnectMethod<CreateProjectRequest, CreateProjectResponse> CREATE_PROJECT =
      ConnectMethod.of(NAME, "CreateProject",
          CreateProjectRequest.getDefaultInstance(), CreateProjectResponse.getDefaultInstance());
  public static final ConnectMethod<DeleteProjectRequest, DeleteProjectResponse> DELETE_PROJECT =
      ConnectMethod.of(NAME, "DeleteProject",
          DeleteProjectRequest.getDefaultInstance(), DeleteProjectResponse.getDefaultInstance());

  private final ConnectClient client;

  public ProjectService(ConnectClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Creates a project; returns it with its new ID. */
  public CreateProjectResponse createProject(CreateProjectRequest request, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(CREATE_PROJECT, request, token);
  }

  public DeleteProjectResponse deleteProject(String projectId, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(DELETE_PROJECT,
        DeleteProjectRequest.newBuilder().setProjectId(projectId).build(), token);
  }
}
