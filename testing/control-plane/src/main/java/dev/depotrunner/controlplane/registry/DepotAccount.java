package dev.depotrunner.controlplane.registry;

import dev.depotrunner.controlplane.CallContext;
import dev.depotrunner.controlplane.ConnectError;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.OrganizationService;
import dev.depotrunner.depotapi.ProjectService;
import dev.depotrunner.depotapi.proto.cli.v1.Build;
import dev.depotrunner.depotapi.proto.cli.v1.ListBuildsRequest;
import dev.depotrunner.depotapi.proto.cli.v1.ListBuildsResponse;
import dev.depotrunner.depotapi.proto.core.v1.CreateProjectRequest;
import dev.depotrunner.depotapi.proto.core.v1.CreateProjectResponse;
import dev.depotrunner.depotapi.proto.core.v1.DeleteProjectRequest;
import dev.depotrunner.depotapi.proto.core.v1.DeleteProjectResponse;
import dev.depotrunner.depotapi.proto.core.v1.ListOrganizationResponse;
import dev.depotrunner.depotapi.proto.core.v1.ListOrganizationsRequest;
import dev.depotrunner.depotapi.proto.core.v1.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The account side of the control-plane double: the organizations a token can use, projects
 * created and deleted, and the builds that ListBuilds returns per project.
 */
public final class DepotAccount {

  private final String userToken;
  private final Map<String, String> organizations = new LinkedHashMap<>();
  private final Map<String, Project> projects = new LinkedHashMap<>();
  private final Map<String, List<Build>> builds = new LinkedHashMap<>();
  private final List<CreateProjectRequest> createRequests = new CopyOnWriteArrayList<>();
  private final List<String> deletedProjects = new CopyOnWriteArrayList<>();
  private final AtomicInteger projectCount = new AtomicInteger();

  private DepotAccount(String userToken) {
    this.userToken = userToken;
  }

  /** Serves CreateProject, DeleteProject, ListOrganizations and ListBuilds on {@code depot} for {@code userToken}. */
  public static DepotAccount serve(ControlPlane depot, String userToken) {
    DepotAccount account = new DepotAccount(userToken);
    depot.handle(ProjectService.CREATE_PROJECT, account::createProject);
    depot.handle(ProjectService.DELETE_PROJECT, account::deleteProject);
    depot.handle(OrganizationService.LIST_ORGANIZATIONS, account::listOrganizations);
    depot.handle(BuildService.LIST_BUILDS, account::listBuilds);
    return account;
  }

  public synchronized void addOrganization(String id, String name) {
    organizations.put(id, name);
  }

  /** Adds a project that DeleteProject can delete. */
  public synchronized void addProject(Project project) {
    projects.put(project.getProjectId(), project);
  }

  /** Makes ListBuilds of {@code projectId} return {@code build} after the builds added before. */
  public synchronized void addBuild(String projectId, Build build) {
    builds.computeIfAbsent(projectId, id -> new ArrayList<>()).add(build);
  }

  /** Returns the CreateProject requests received so far. */
  public List<CreateProjectRequest> createRequests() {
    return List.copyOf(createRequests);
  }

  /** Returns the IDs of the projects deleted so far, in order. */
  public List<String> deletedProjects() {
    return List.copyOf(deletedProjects);
  }

  private synchronized CreateProjectResponse createProject(CreateProjectRequest request, CallContext context) {
    requireUserToken(context);
    if (request.getName().isBlank()) {
      throw new ConnectError(ConnectCode.INVALID_ARGUMENT, "name is required");
    }
    createRequests.add(request);
    Project.Builder project = Project.newBuilder()
        .setProjectId("project-" + projectCount.incrementAndGet())
        .setOrganizationId(request.hasOrganizationId() ? request.getOrganizationId() : ControlPlane.ORGANIZATION_ID)
        .setName(request.getName())
        .setRegionId(request.getRegionId());
    if (request.hasCachePolicy()) {
      project.setCachePolicy(request.getCachePolicy());
    }
    projects.put(project.getProjectId(), project.build());
    return CreateProjectResponse.newBuilder().setProject(project).build();
  }

  private synchronized DeleteProjectResponse deleteProject(DeleteProjectRequest request, CallContext context) {
    requireUserToken(context);
    if (projects.remove(request.getProjectId()) == null) {
      throw new ConnectError(ConnectCode.NOT_FOUND, "project " + request.getProjectId() + " not found");
    }
    deletedProjects.add(request.getProjectId());
    return DeleteProjectResponse.getDefaultInstance();
  }

  private synchronized ListOrganizationResponse listOrganizations(ListOrganizationsRequest request, CallContext context) {
    requireUserToken(context);
    ListOrganizationResponse.Builder response = ListOrganizationResponse.newBuilder();
    organizations.forEach((id, name) -> response.addOrganizations(
        ListOrganizationResponse.Organization.newBuilder().setOrgId(id).setName(name)));
    return response.build();
  }

  private synchronized ListBuildsResponse listBuilds(ListBuildsRequest request, CallContext context) {
    requireUserToken(context);
    if (request.getProjectId().isEmpty()) {
      throw new ConnectError(ConnectCode.INVALID_ARGUMENT, "project_id is required");
    }
    return ListBuildsResponse.newBuilder()
        .addAllBuilds(builds.getOrDefault(request.getProjectId(), List.of()))
        .build();
  }

  private void requireUserToken(CallContext context) {
    String token = context.bearerToken()
        .orElseThrow(() -> new ConnectError(ConnectCode.UNAUTHENTICATED, "missing bearer token"));
    if (!token.equals(userToken)) {
      throw new ConnectError(ConnectCode.UNAUTHENTICATED, "invalid token");
    }
  }
}
