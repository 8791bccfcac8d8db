package dev.depotrunner.depotapi;

import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenResponse;
import dev.depotrunner.depotapi.proto.cli.v1.ListBuildsRequest;
import dev.depotrunner.depotapi.proto.cli.v1.ListBuildsResponse;
import dev.depotrunner.depotapi.proto.cli.v1.ReportBuildHealthRequest;
import dev.depotrunner.depotapi.proto.cli.v1.ReportBuildHealthResponse;
import java.util.Objects;

/**
 * Depot's {@code depot.cli.v1.BuildService}: creating a build, getting its BuildKit builder, reporting
 * that the client is still there, and finishing it. {@code CreateBuild} takes the user's token; the
 * other calls take the build token it returns, as the Depot CLI sends them.
 */
public final class BuildService {

  public static final String NAME = "depot.cli.v1.BuildService";

  public static final ConnectMethod<CreateBuildRequest, CreateBuildResponse> CREATE_BUILD =
      ConnectMethod.of(NAME, "CreateBuild",
          CreateBuildRequest.getDefaultInstance(), CreateBuildResponse.getDefaultInstance());
  public static final ConnectMethod<GetBuildKitConnectionRequest, GetBuildKitConnectionResponse> GET_BUILDKIT_CONNECTION =
      ConnectMethod.of(NAME, "GetBuildKitConnection",
          GetBuildKitConnectionRequest.getDefaultInstance(), GetBuildKitConnectionResponse.getDefaultInstance());
  public static final ConnectMethod<ReportBuildHealthRequest, ReportBuildHealthResponse> REPORT_BUILD_HEALTH =
      ConnectMethod.of(NAME, "ReportBuildHealth",
          ReportBuildHealthRequest.getDefaultInstance(), ReportBuildHealthResponse.getDefaultInstance());
  public static final ConnectMethod<FinishBuildRequest, FinishBuildResponse> FINISH_BUILD =
      ConnectMethod.of(NAME, "FinishBuild",
          FinishBuildRequest.getDefaultInstance(), FinishBuildResponse.getDefaultInstance());
  public static final ConnectMethod<GetPullInfoRequest, GetPullInfoResponse> GET_PULL_INFO =
      ConnectMethod.of(NAME, "GetPullInfo",
          GetPullInfoRequest.getDefaultInstance(), GetPullInfoResponse.getDefaultInstance());
  public static final ConnectMethod<GetPullTokenRequest, GetPullTokenResponse> GET_PULL_TOKEN =
      ConnectMethod.of(NAME, "GetPullToken",
          GetPullTokenRequest.getDefaultInstance(), GetPullTokenResponse.getDefaultInstance());
  public static final ConnectMethod<ListBuildsRequest, ListBuildsResponse> LIST_BUILDS =
      ConnectMethod.of(NAME, "ListBuilds",
          ListBuildsRequest.getDefaultInstance(), ListBuildsResponse.getDefaultInstance());

  private final ConnectClient client;

  public BuildService(ConnectClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  public CreateBuildResponse createBuild(CreateBuildRequest request, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(CREATE_BUILD, request, token);
  }

  public GetBuildKitConnectionResponse getBuildKitConnection(GetBuildKitConnectionRequest request, ApiToken buildToken)
      throws DepotApiException, InterruptedException {
    return client.unary(GET_BUILDKIT_CONNECTION, request, buildToken);
  }

  public ReportBuildHealthResponse reportBuildHealth(ReportBuildHealthRequest request, ApiToken buildToken)
      throws DepotApiException, InterruptedException {
    return client.unary(REPORT_BUILD_HEALTH, request, buildToken);
  }

  public FinishBuildResponse finishBuild(FinishBuildRequest request, ApiToken buildToken)
      throws DepotApiException, InterruptedException {
    return client.unary(FINISH_BUILD, request, buildToken);
  }

  /** Gets where a build's image is in Depot's registry and how to pull it; takes the user's token. */
  public GetPullInfoResponse getPullInfo(GetPullInfoRequest request, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(GET_PULL_INFO, request, token);
  }

  /** Creates a token that pulls a project's or a build's images from Depot's registry. */
  public GetPullTokenResponse getPullToken(GetPullTokenRequest request, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(GET_PULL_TOKEN, request, token);
  }

  /** Lists one page of a project's builds, newest first; takes the user's token. */
  public ListBuildsResponse listBuilds(ListBuildsRequest request, ApiToken token)
      throws DepotApiException, InterruptedException {
    return client.unary(LIST_BUILDS, request, token);
  }

  /** The API this service calls, for messages. */
  public String apiUrl() {
    return client.baseUrl().toString();
  }
}
