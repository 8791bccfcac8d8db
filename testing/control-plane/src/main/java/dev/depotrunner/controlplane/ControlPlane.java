package dev.depotrunner.controlplane;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderConnectionException;
import dev.depotrunner.buildkit.transport.BuilderConnections;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.ConnectMethod;
import dev.depotrunner.depotapi.ProjectsService;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.depotapi.proto.cli.v1.Cert;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildRequest;
import dev.depotrunner.depotapi.proto.cli.v1.FinishBuildResponse;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionRequest;
import dev.depotrunner.depotapi.proto.cli.v1.GetBuildKitConnectionResponse;
import dev.depotrunner.depotapi.proto.cli.v1.Registry;
import dev.depotrunner.depotapi.proto.cli.v1.ReportBuildHealthRequest;
import dev.depotrunner.depotapi.proto.cli.v1.ReportBuildHealthResponse;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsRequest;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsResponse;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A loopback stand-in for Depot's control plane, for tests: its build and projects API over Connect,
 * kept in memory, and the builder it hands out, an mTLS gRPC endpoint on 127.0.0.1 that forwards to a
 * real BuildKit.
 *
 * <p>It accepts the tokens and serves the projects it was given, returns "pending" from GetBuildKitConnection for the first {@link #pendingPolls} polls of each build, records every call with its
 * Authorization header, and fails a method with a Connect error on request ({@link #failNext}). It also
 * serves Depot's GitHub Actions OIDC exchange at {@code /auth/oidc/github-actions} for the repositories
 * given to {@link #trustGitHubActions}.
 *
 * <pre>{@code
 * try (ControlPlane depot = ControlPlane.start(BuilderEndpoint.parse("docker://unix:///var/run/docker.sock"))) {
 *   depot.addToken("token-1");
 *   depot.addProject("project-1", "web");
 *   // run the client with DEPOT_API_URL=depot.url(), DEPOT_TOKEN=token-1, --project project-1
 * }
 * }</pre>
 */
public final class ControlPlane implements AutoCloseable {

  /** The organization every project belongs to. */
  public static final String ORGANIZATION_ID = "org-control-plane";

  /** The name the builder's server certificate carries, which GetBuildKitConnection returns. */
  public static final String BUILDER_SERVER_NAME = "builder.control-plane.test";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConnectServer server;
  private final CertificateAuthority authority;
  private final CertificateAuthority.Issued clientCertificate;
  private final BuilderConnection backend;
  private final BuilderProxy builder;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, String> projects = new ConcurrentHashMap<>();
  private final Map<String, DepotBuild> builds = new ConcurrentHashMap<>();
  private final List<DepotBuild> buildOrder = new CopyOnWriteArrayList<>();
  private final AtomicInteger buildCount = new AtomicInteger();
  private final OidcExchange oidcExchange = new OidcExchange(this::issueUserToken);
  private volatile int pendingPolls;
  private volatile Duration pendingWait = Duration.ofMillis(200);
  private volatile Instant cancelsAt;
  private volatile boolean gzip;
  private volatile BiConsumer<DepotBuild, CreateBuildResponse.Builder> saveRegistry;

  private ControlPlane(
      ConnectServer server,
      CertificateAuthority authority,
      CertificateAuthority.Issued clientCertificate,
      BuilderConnection backend,
      BuilderProxy builder) {
    this.server = server;
    this.authority = authority;
    this.clientCertificate = clientCertificate;
    this.backend = backend;
    this.builder = builder;
  }

  /**
   * Starts the API and a builder that forwards to the BuildKit at {@code buildkit}, such as a Docker
   * Engine's ({@code docker://unix:///var/run/docker.sock}).
   *
   * @throws BuilderConnectionException if that BuildKit cannot be reached
   */
  public static ControlPlane start(BuilderEndpoint buildkit) throws IOException {
    return start(Optional.of(buildkit));
  }

  /** Starts the API alone; GetBuildKitConnection then fails with {@code unavailable}. */
  public static ControlPlane startWithoutBuilder() throws IOException {
    return start(Optional.empty());
  }

  private static ControlPlane start(Optional<BuilderEndpoint> buildkit) throws IOException {
    CertificateAuthority authority;
    CertificateAuthority.Issued serverCertificate;
    CertificateAuthority.Issued clientCertificate;
    try {
      authority = CertificateAuthority.create("depot-runner control plane CA");
      serverCertificate = authority.issueServer(BUILDER_SERVER_NAME);
      clientCertificate = authority.issueClient("depot-runner client");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot make the builder's certificates: " + e.getMessage(), e);
    }

    BuilderConnection backend = null;
    BuilderProxy builder = null;
    ConnectServer server = null;
    try {
      if (buildkit.isPresent()) {
        backend = BuilderConnections.open(buildkit.get());
        builder = BuilderProxy.start(backend.channel(), serverCertificate, authority);
      }
      server = ConnectServer.start();
      ControlPlane controlPlane = new ControlPlane(server, authority, clientCertificate, backend, builder);
      controlPlane.serveDefaultHandlers();
      return controlPlane;
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (builder != null) {
        builder.close();
      }
      if (backend != null) {
        backend.close();
      }
      throw e;
    }
  }

  /** Returns the API's base URL, for {@code DEPOT_API_URL}. */
  public URI url() {
    return server.url();
  }

  /** Returns the builder's address as GetBuildKitConnection sends it, such as {@code tcp://127.0.0.1:41234}. */
  public Optional<String> builderEndpoint() {
    return Optional.ofNullable(builder).map(proxy -> "tcp://127.0.0.1:" + proxy.port());
  }

  /** Returns how many calls the builder forwarded to BuildKit so far. */
  public long forwardedBuilderCalls() {
    return builder == null ? 0 : builder.forwardedCalls();
  }

  /** Returns how many calls reached the builder with gzip-compressed messages. */
  public long gzipBuilderCalls() {
    return builder == null ? 0 : builder.gzipCalls();
  }

  /** Makes GetBuildKitConnection ask clients to compress their builder calls with gzip, or not. */
  public void requestGzip(boolean requested) {
    this.gzip = requested;
  }

  /** Accepts {@code token} as a user token for CreateBuild and ListProjects. */
  public void addToken(String token) {
    tokens.add(token);
  }

  /**
   * Makes the OIDC exchange accept GitHub Actions ID tokens whose {@code repository} claim is {@code
   * repository} and that {@code key} signed, returning a new user token for each.
   */
  public void trustGitHubActions(String repository, RSAPublicKey key) {
    oidcExchange.trust(repository, key);
  }

  /** Returns the user tokens the OIDC exchange issued so far, oldest first. */
  public List<String> exchangedTokens() {
    return oidcExchange.issuedTokens();
  }

  public void addProject(String id, String name) {
    projects.put(id, name);
  }

  /**
   * Makes GetBuildKitConnection return "pending, retry after {@code wait}" for the first {@code count}
   * polls of each build, as Depot does while a builder starts.
   */
  public void pendingPolls(int count, Duration wait) {
    this.pendingPolls = count;
    this.pendingWait = wait;
  }

  /**
   * Makes ReportBuildHealth return {@code cancels_at} set to {@code at}, which requests that the client
   * cancel its build once that time has passed; null stops it.
   */
  public void cancelBuildsAt(Instant at) {
    this.cancelsAt = at;
  }

  /**
   * Sets what CreateBuild adds to the response of a build with {@code save}: the tags and registry
   * credentials of the saved image, such as {@code DepotRegistry.saveBuildsIn} adds. Without one,
   * CreateBuild rejects {@code save}, so that no client falls back to Depot's own registry.
   */
  public void saveBuildsWith(BiConsumer<DepotBuild, CreateBuildResponse.Builder> registry) {
    this.saveRegistry = registry;
  }

  /** Makes the next call of {@code method} fail with {@code code}, without running its handler. */
  public void failNext(ConnectMethod<?, ?> method, ConnectCode code, String message) {
    server.failNext(method, code, message);
  }

  /** Makes every call of {@code method} fail with {@code code}. */
  public void failAlways(ConnectMethod<?, ?> method, ConnectCode code, String message) {
    server.failAlways(method, code, message);
  }

  /** Ends every failure set with {@link #failNext} or {@link #failAlways}. */
  public void clearFailures() {
    server.clearFailures();
  }

  /** Serves {@code method} with {@code handler} in place of the in-memory one, or adds a method. */
  public <Q extends Message, R extends Message> void handle(ConnectMethod<Q, R> method, UnaryHandler<Q, R> handler) {
    server.unary(method, handler);
  }

  /** Returns every API call received so far, in order of arrival. */
  public List<RecordedCall> calls() {
    return server.calls();
  }

  /** Returns the calls of {@code method} received so far. */
  public List<RecordedCall> calls(ConnectMethod<?, ?> method) {
    return server.calls(method);
  }

  /** Returns the builds created so far, oldest first. */
  public List<DepotBuild> builds() {
    return List.copyOf(buildOrder);
  }

  public Optional<DepotBuild> build(String id) {
    return Optional.ofNullable(builds.get(id));
  }

  @Override
  public void close() {
    server.close();
    if (builder != null) {
      builder.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private void serveDefaultHandlers() {
    server.unary(BuildService.CREATE_BUILD, this::createBuild);
    server.unary(BuildService.GET_BUILDKIT_CONNECTION, this::getBuildKitConnection);
    server.unary(BuildService.REPORT_BUILD_HEALTH, this::reportBuildHealth);
    server.unary(BuildService.FINISH_BUILD, this::finishBuild);
    server.unary(ProjectsService.LIST_PROJECTS, this::listProjects);
    server.http(OidcExchange.PATH, oidcExchange::serve);
  }

  private String issueUserToken() {
    String token = "depot-oidc-" + randomHex(16);
    tokens.add(token);
    return token;
  }

  private void requireUserToken(CallContext context) {
    String token = context.bearerToken()
        .orElseThrow(() -> new ConnectError(ConnectCode.UNAUTHENTICATED, "missing bearer token"));
    if (!tokens.contains(token)) {
      throw new ConnectError(ConnectCode.UNAUTHENTICATED, "invalid token");
    }
  }

  private DepotBuild requireBuild(String buildId, CallContext context) {
    DepotBuild build = builds.get(buildId);
    if (build == null) {
      throw new ConnectError(ConnectCode.NOT_FOUND, "build " + buildId + " not found");
    }
    String token = context.bearerToken()
        .orElseThrow(() -> new ConnectError(ConnectCode.UNAUTHENTICATED, "missing bearer token"));
    if (!token.equals(build.token())) {
      throw new ConnectError(ConnectCode.UNAUTHENTICATED, "invalid build token for build " + buildId);
    }
    return build;
  }

  private CreateBuildResponse createBuild(CreateBuildRequest request, CallContext context) {
    requireUserToken(context);
    if (!request.hasProjectId() || request.getProjectId().isEmpty()) {
      throw new ConnectError(ConnectCode.INVALID_ARGUMENT, "project_id is required");
    }
    String projectId = request.getProjectId();
    if (!projects.containsKey(projectId)) {
      throw new ConnectError(ConnectCode.NOT_FOUND, "project " + projectId + " not found");
    }

    String id = "build" + buildCount.incrementAndGet() + "-" + randomHex(4);
    String url = url() + "/orgs/" + ORGANIZATION_ID + "/projects/" + projectId + "/builds/" + id;
    var build = new DepotBuild(id, "build-token-" + randomHex(16), projectId, url, request);
    var response = CreateBuildResponse.newBuilder()
        .setBuildId(id)
        .setBuildToken(build.token())
        .setBuildUrl(url)
        .setProjectId(projectId)
        .setRegistry(Registry.getDefaultInstance());
    addSavedImage(build, response);

    builds.put(id, build);
    buildOrder.add(build);
    return response.build();
  }

  private void addSavedImage(DepotBuild build, CreateBuildResponse.Builder response) {
    boolean save = build.request().getOptionsList().stream()
        .anyMatch(BuildOptions::getSave);
    if (!save) {
      return;
    }
    BiConsumer<DepotBuild, CreateBuildResponse.Builder> registry = saveRegistry;
    if (registry == null) {
      throw new ConnectError(ConnectCode.FAILED_PRECONDITION,
          "this control plane has no registry for saved builds: run eval \"$(scripts/local-env env)\" and"
              + " start scripts/control-plane again in that shell");
    }
    registry.accept(build, response);
  }

  private GetBuildKitConnectionResponse getBuildKitConnection(GetBuildKitConnectionRequest request, CallContext context) {
    DepotBuild build = requireBuild(request.getBuildId(), context);
    if (request.getPlatform() == BuilderPlatform.BUILDER_PLATFORM_UNSPECIFIED
        || request.getPlatform() == BuilderPlatform.UNRECOGNIZED) {
      throw new ConnectError(ConnectCode.INVALID_ARGUMENT, "platform is required");
    }
    if (build.result().isPresent()) {
      throw new ConnectError(ConnectCode.FAILED_PRECONDITION, "build " + build.id() + " is finished");
    }

    int poll = build.countConnectionPoll();
    if (poll <= pendingPolls) {
      return GetBuildKitConnectionResponse.newBuilder()
          .setPending(GetBuildKitConnectionResponse.PendingConnection.newBuilder()
              .setWaitMs((int) pendingWait.toMillis()))
          .build();
    }
    if (builder == null) {
      throw new ConnectError(ConnectCode.UNAVAILABLE, "this control plane has no builder");
    }

    var active = GetBuildKitConnectionResponse.ActiveConnection.newBuilder()
        .setEndpoint(builderEndpoint().orElseThrow())
        .setServerName(BUILDER_SERVER_NAME)
        .setCert(Cert.newBuilder()
            .setCert(clientCertificate.certificatePem())
            .setKey(clientCertificate.privateKeyPem()))
        .setCaCert(Cert.newBuilder().setCert(authority.certificatePem()));
    if (gzip) {
      active.setGzip(GetBuildKitConnectionResponse.ActiveConnection.Gzip.getDefaultInstance());
    } else {
      active.setIdentity(GetBuildKitConnectionResponse.ActiveConnection.Identity.getDefaultInstance());
    }
    return GetBuildKitConnectionResponse.newBuilder().setActive(active).build();
  }

  private ReportBuildHealthResponse reportBuildHealth(ReportBuildHealthRequest request, CallContext context) {
    DepotBuild build = requireBuild(request.getBuildId(), context);
    build.countHealthReport();
    Instant at = cancelsAt;
    if (at == null) {
      return ReportBuildHealthResponse.getDefaultInstance();
    }
    return ReportBuildHealthResponse.newBuilder()
        .setCancelsAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
        .build();
  }

  private FinishBuildResponse finishBuild(FinishBuildRequest request, CallContext context) {
    DepotBuild build = requireBuild(request.getBuildId(), context);
    if (request.getResultCase() == FinishBuildRequest.ResultCase.RESULT_NOT_SET) {
      throw new ConnectError(ConnectCode.INVALID_ARGUMENT, "result is required");
    }
    if (!build.finish(request)) {
      throw new ConnectError(ConnectCode.FAILED_PRECONDITION, "build " + build.id() + " is already finished");
    }
    return FinishBuildResponse.getDefaultInstance();
  }

  private ListProjectsResponse listProjects(ListProjectsRequest request, CallContext context) {
    requireUserToken(context);
    List<ListProjectsResponse.Project> list = new ArrayList<>();
    projects.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(project ->
        list.add(ListProjectsResponse.Project.newBuilder()
            .setId(project.getKey())
            .setName(project.getValue())
            .setOrgId(ORGANIZATION_ID)
            .setOrgName("Control Plane")
            .build()));
    return ListProjectsResponse.newBuilder().addAllProjects(list).build();
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
