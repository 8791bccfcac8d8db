package dev.depotrunner.controlplane.registry;

import dev.depotrunner.controlplane.CallContext;
import dev.depotrunner.controlplane.ConnectError;
import dev.depotrunner.controlplane.ControlPlane;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.PushService;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.FinishPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1.FinishPushResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullInfoResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetPullTokenResponse;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushRequest;
import dev.depotrunner.depotapi.proto.cli.v1.StartPushResponse;
import dev.depotrunner.controlplane.DepotBuild;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry side of the control-plane double: GetPullInfo returns where a build's image is,
 * with the pull credentials given here, GetPullToken creates pull tokens, and PushService records
 * each push. The images
 * themselves live in a real registry, such as the token registry of scripts/local-env with a
 * {@link RegistryTokenIssuer} that accepts the same credentials.
 *
 * <p>With {@link #saveBuildsIn}, builds created with {@code save} are saved in that registry:
 * CreateBuild returns their tags and credentials, and {@link #acceptsCredentials} and {@link
 * #allows} are the issuer's rules for them.
 */
public final class DepotRegistry {

  /** The user name of every credential for saved builds, as Depot's registry takes its tokens. */
  public static final String TOKEN_USER = "x-token";

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  private final ControlPlane depot;
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
  private final Map<String, Grant> grants = new ConcurrentHashMap<>();
  private final Map<String, String> pullPasswords = new ConcurrentHashMap<>();
  private volatile boolean wrongSaveCredentials;

  /** The repository and actions that one registry password of a saved build may use. */
  private record Grant(String repository, Set<String> actions) {}

  private DepotRegistry(ControlPlane depot, String userToken, String pullUsername, String pullPassword) {
    this.depot = depot;
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
    DepotRegistry registry = new DepotRegistry(depot, userToken, pullUsername, pullPassword);
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

  /**
   * Saves builds created with {@code save} in {@code registryHost}, such as {@code 127.0.0.1:5002}.
   * CreateBuild returns the tags {@code <host>/<project>:<build id>} and {@code
   * <host>/<project>:<save tag>} for each save tag, and a credential for the host (base64 of
   * {@code x-token:<password>}) that may push and pull the project's repository. GetPullInfo of the
   * build then returns the build id tag with a password that may pull it, and for a bake, the targets.
   */
  public void saveBuildsIn(String registryHost) {
    depot.saveBuildsWith((build, response) -> save(registryHost, build, response));
  }

  /**
   * Makes CreateBuild return a save credential that {@link #acceptsCredentials} rejects, for
   * tests of a failed save; false returns valid ones again.
   */
  public void returnWrongSaveCredentials(boolean wrong) {
    this.wrongSaveCredentials = wrong;
  }

  /**
   * Returns whether a token issuer should sign in {@code user} with {@code password}: the pull
   * credentials given to {@link #serve}, or a password created for a saved build.
   */
  public boolean acceptsCredentials(String user, String password) {
    if (user.equals(pullUsername) && password.equals(pullPassword)) {
      return true;
    }
    return user.equals(TOKEN_USER) && grants.containsKey(password);
  }

  /**
   * Returns whether {@code user} with {@code password} may take {@code action} on {@code
   * repository}: the pull credentials given to {@link #serve} may take every action, a saved
   * build's password only what was granted on its project's repository.
   */
  public boolean allows(String user, String password, String repository, String action) {
    if (user.equals(pullUsername) && password.equals(pullPassword)) {
      return true;
    }
    Grant grant = user.equals(TOKEN_USER) ? grants.get(password) : null;
    return grant != null && grant.repository().equals(repository) && grant.actions().contains(action);
  }

  private void save(String registryHost, DepotBuild build, CreateBuildResponse.Builder response) {
    String repository = build.projectId();
    List<String> tags = new ArrayList<>();
    tags.add(registryHost + "/" + repository + ":" + build.id());
    for (BuildOptions options : build.request().getOptionsList()) {
      for (String saveTag : options.getSaveTagsList()) {
        if (saveTag.isEmpty()) {
          continue;
        }
        if (!TAG.matcher(saveTag).matches()) {
          throw new ConnectError(ConnectCode.INVALID_ARGUMENT, "invalid save tag " + saveTag
              + ": a tag has up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }
        String tag = registryHost + "/" + repository + ":" + saveTag;
        if (!tags.contains(tag)) {
          tags.add(tag);
        }
      }
    }

    String savePassword = wrongSaveCredentials ? "wrong-" + randomHex(8) : grant(repository, Set.of("pull", "push"));
    String pullPassword = grant(repository, Set.of("pull"));
    for (String tag : tags) {
      response.addAdditionalTags(CreateBuildResponse.Tag.newBuilder().setTag(tag).setPush(true));
    }
    response.addAdditionalCredentials(CreateBuildResponse.Credential.newBuilder()
        .setHost(registryHost)
        .setToken(Base64.getEncoder().encodeToString(
            (TOKEN_USER + ":" + savePassword).getBytes(StandardCharsets.UTF_8))));

    // A saved bake lists its targets in GetPullInfo, and target t's image is at the build id tag plus -t.
    List<BuildOptions> bakeTargets = build.request().getOptionsList().stream()
        .filter(options -> options.getCommand() == Command.COMMAND_BAKE)
        .toList();
    images.put(build.id(), new SavedBuild(tags.get(0), bakeTargets));
    pullPasswords.put(build.id(), pullPassword);
  }

  /** Returns the repository of a reference such as {@code host/project:tag}. */
  private static String repositoryOf(String reference) {
    String path = reference.substring(reference.indexOf('/') + 1);
    int colon = path.lastIndexOf(':');
    return colon < 0 ? path : path.substring(0, colon);
  }

  /** Creates a password that may take {@code actions} on {@code repository}. */
  private String grant(String repository, Set<String> actions) {
    String password = "registry-token-" + randomHex(16);
    grants.put(password, new Grant(repository, actions));
    return password;
  }

  private String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    this.random.nextBytes(random);
    return HexFormat.of().formatHex(random);
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
    // The token pulls the project's repository, as Depot's pull tokens do for its registry.
    String repository = request.getProjectId().isEmpty()
        ? repositoryOf(images.get(request.getBuildId()).reference())
        : request.getProjectId();
    String token = grant(repository, Set.of("pull"));
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
    String savedPassword = pullPasswords.get(request.getBuildId());
    return GetPullInfoResponse.newBuilder()
        .setReference(build.reference())
        .addAllOptions(build.options())
        .setUsername(savedPassword == null ? pullUsername : TOKEN_USER)
        .setPassword(savedPassword == null ? pullPassword : savedPassword)
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
