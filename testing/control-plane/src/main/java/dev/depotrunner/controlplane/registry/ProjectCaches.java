package dev.depotrunner.controlplane.registry;

import dev.depotrunner.controlplane.CallContext;
import dev.depotrunner.controlplane.ConnectError;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.ProjectsService;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ResetProjectCacheRequest;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ResetProjectCacheResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The project caches of the control-plane double: ResetProjectCache records which was reset. */
public final class ProjectCaches {

  /** The organization name that ResetProjectCache returns. */
  public static final String ORGANIZATION_NAME = "Control Plane";

  private final String userToken;
  private final Map<String, String> projectNames;
  private final List<String> resets = new CopyOnWriteArrayList<>();

  private ProjectCaches(String userToken, Map<String, String> projectNames) {
    this.userToken = userToken;
    this.projectNames = Map.copyOf(projectNames);
  }

  /** Serves ResetProjectCache on {@code depot} for the projects in {@code projectNames} (ID to name). */
  public static ProjectCaches serve(
      ControlPlane depot, String userToken, Map<String, String> projectNames) {
    ProjectCaches caches = new ProjectCaches(userToken, projectNames);
    depot.handle(ProjectsService.RESET_PROJECT_CACHE, caches::reset);
    return caches;
  }

  /** Returns the IDs of the projects whose cache was reset, in order. */
  public List<String> resets() {
    return List.copyOf(resets);
  }

  private ResetProjectCacheResponse reset(ResetProjectCacheRequest request, CallContext context) {
    String token = context.bearerToken()
        .orElseThrow(() -> new ConnectError(ConnectCode.UNAUTHENTICATED, "missing bearer token"));
    if (!token.equals(userToken)) {
      throw new ConnectError(ConnectCode.UNAUTHENTICATED, "invalid token");
    }
    String name = projectNames.get(request.getProjectId());
    if (name == null) {
      throw new ConnectError(ConnectCode.NOT_FOUND, "project " + request.getProjectId() + " not found");
    }
    resets.add(request.getProjectId());
    return ResetProjectCacheResponse.newBuilder()
        .setName(name)
        .setOrgName(ORGANIZATION_NAME)
        .build();
  }
}
