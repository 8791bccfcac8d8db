package dev.depotrunner.depotapi;

import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsRequest;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsResponse;
import java.util.Objects;

/** Depot's {@code depot.cli.v1beta1.ProjectsService}: the projects a token can build in. */
public final class ProjectsService {

  public static final String NAME = "depot.cli.v1beta1.ProjectsService";

  public static final ConnectMethod<ListProjectsRequest, ListProjectsResponse> LIST_PROJECTS =
      ConnectMethod.of(NAME, "ListProjects",
          ListProjectsRequest.getDefaultInstance(), ListProjectsResponse.getDefaultInstance());

  private final ConnectClient client;

  public ProjectsService(ConnectClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public ListProjectsResponse listProjects(ApiToken token) throws DepotApiException, InterruptedException {
    return client.unary(LIST_PROJECTS, ListProjectsRequest.getDefaultInstance(), token);
  }
}
