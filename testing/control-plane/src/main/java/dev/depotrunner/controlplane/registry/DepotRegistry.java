package dev.depotrunner.controlplane.registry;

import dev.depotrunner.controlplane.CallContext;
import dev.depotrunner.controlplane.ConnectError;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.PushService;
import dev.depotrunner.depotapi.proto.cli.v1.FinishPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1.FinishPushResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenResponse;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry side of the control-plane double: GetPullInfo returns where a build's image is,
 * with the pull credentials given here, GetPullToken creates pull tokens, and PushService records
 * each push. The images
 * themselves live in a real registry, such as the token registry of scripts/local-env with a
 * {@link RegistryTokenIssuer} that accepts the same credentials.
 */
public final class DepotRegistry {

  private final String userToken;
  private final String pullUsername;
  private final String pullPassword;
  private final Map<String, SavedBuild> images = new ConcurrentHashMap<>();
  private final List<StartPushRequest> started = new CopyOnWriteArrayList<>();
  private final List<FinishPushRequest> finished = new CopyOnWriteArrayList<>();
  private final AtomicInteger pushCount = new AtomicInteger();
  private final List<GetPullTokenRequest> pullTokenRequests = new CopyOnWriteArrayList<>();
  private final List<String> pullTokens = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();

  private DepotRegistry(String userToken, String pullUsername, String pullPassword) {
    this.userToken = userToken;
    this.pullUsername = pullUsername;
    this.pullPassword = pullPassword;
  }

  /**
   * Serves GetPullInfo, StartPush and FinishPush on {@code depot} for callers with {@code
   * userToken}, handing out {@code pullUsername} and {@code pullPassword}.
   */
  public static DepotRegistry serve(
      ControlPlane depot, String userToken, String pullUsername, String pullPassword) {
    DepotRegistry registry = new DepotRegistry(userToken, pullUsername, pullPassword);
    depot.handle(BuildService.GET_PULL_INFO, registry::getPullInfo);
    depot.handle(BuildService.GET_PULL_TOKEN, registry::getPullToken);
    depot.handle(PushService.START_PUSH, registry::startPush);
    depot.handle(PushService.FINISH_PUSH, registry::finishPush);
    return registry;
  }

  /** A build's image reference and the options GetPullInfo returns with it. */
  private record SavedBuild(String reference, List<BuildOptions> options) {}

  /**
   * Makes GetPullInfo of {@code buildId} return {@code reference}, such as {@code host/repo:tag},
   * without options, as for a build whose options Depot did not record.
   */
  public void addBuildImage(String buildId, String reference) {
    images.put(buildId, new SavedBuild(reference, List.of()));
  }

  /**
   * Makes GetPullInfo of {@code buildId} return a saved bake build as Depot does, with {@code
   * reference} and one BAKE options entry per target in the map's order. Each entry carries the
   * target's name and tags. Target {@code t}'s image must be at {@code reference-t}.
   */
  public void addBakeBuild(String buildId, String reference, Map<String, List<String>> tagsByTarget) {
    List<BuildOptions> options = new ArrayList<>();
    tagsByTarget.forEach((target, tags) -> options.add(BuildOptions.newBuilder()
        .setCommand(Command.COMMAND_BAKE)
        .setTargetName(target)
        .addAllTags(tags)
        .setSave(true)
        .build()));
    images.put(buildId, new SavedBuild(reference, List.copyOf(options)));
  }

  /** Returns the StartPush requests received so far. */
  public List<StartPushRequest> startedPushes() {
    return List.copyOf(started);
  }

  /** Returns the FinishPush requests received so far. */
  public List<FinishPushRequest> finishedPushes() {
    return List.copyOf(finished);
  }

  /** Returns the GetPullToken requests received so far. */
  public List<GetPullTokenRequest> pullTokenRequests() {
    return List.copyOf(pullTokenRequests);
  }

  /** Whether GetPullToken created {@code token}. */
  public boolean issuedPullToken(String token) {
    return pullTokens.contains(token);
  }

  private GetPullTokenResponse getPullToken(GetPullTokenRequest request, CallContext context) {
    requireUserToken(context);
    if (request.getBuildId().isEmpty() && request.getProjectId().isEmpty()) {
      throw new ConnectError(ConnectCode.INVALID_ARGUMENT, "project_id or build_id is required");
    }
    if (!request.getBuildId().isEmpty() && !images.containsKey(request.getBuildId())) {
      throw new ConnectError(ConnectCode.NOT_FOUND, "build " + request.getBuildId() + " not found");
    }
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String token = "pull-token-" + HexFormat.of().formatHex(bytes);
    pullTokenRequests.add(request);
    pullTokens.add(token);
    return GetPullTokenResponse.newBuilder().setToken(token).build();
  }

  private GetPullInfoResponse getPullInfo(GetPullInfoRequest request, CallContext context) {
    requireUserToken(context);
    SavedBuild build = images.get(request.getBuildId());
    if (build == null) {
      throw new ConnectError(ConnectCode.NOT_FOUND, "build " + request.getBuildId() + " not found");
    }
    return GetPullInfoResponse.newBuilder()
        .setReference(build.reference())
        .addAllOptions(build.options())
        .setUsername(pullUsername)
        .setPassword(pullPassword)
        .build();
  }

  private StartPushResponse startPush(StartPushRequest request, CallContext context) {
    requireUserToken(context);
    if (!images.containsKey(request.getBuildId())) {
      throw new ConnectError(ConnectCode.NOT_FOUND, "build " + request.getBuildId() + " not found");
    }
    started.add(request);
    return StartPushResponse.newBuilder().setPushId("push-" + pushCount.incrementAndGet()).build();
  }

  private FinishPushResponse finishPush(FinishPushRequest request, CallContext context) {
    requireUserToken(context);
    finished.add(request);
    return FinishPushResponse.getDefaultInstance();
  }

  private void requireUserToken(CallContext context) {
    String token = context.bearerToken()
        .orElseThrow(() -> new ConnectError(ConnectCode.UNAUTHENTICATED, "missing bearer token"));
    if (!token.equals(userToken)) {
      throw new ConnectError(ConnectCode.UNAUTHENTICATED, "invalid token");
    }
  }
}
