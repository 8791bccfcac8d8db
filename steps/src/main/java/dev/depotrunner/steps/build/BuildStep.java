package dev.depotrunner.steps.build;

import dev.depotrunner.buildkit.BuildKitClient;
import dev.depotrunner.buildkit.BuildKitException;
import dev.depotrunner.buildkit.SolveCancelledException;
import dev.depotrunner.buildkit.SolveFailedException;
import dev.depotrunner.buildkit.auth.AuthProvider;
import dev.depotrunner.buildkit.auth.AuthProviderOptions;
import dev.depotrunner.buildkit.auth.RegistryCredentials;
import dev.depotrunner.buildkit.content.ContentStoreException;
import dev.depotrunner.buildkit.content.ContentStores;
import dev.depotrunner.buildkit.filesync.DockerIgnore;
import dev.depotrunner.buildkit.filesync.FileSendTargets;
import dev.depotrunner.buildkit.filesync.FileSyncService;
import dev.depotrunner.buildkit.filesync.InvalidPatternException;
import dev.depotrunner.buildkit.filesync.PatternMatcher;
import dev.depotrunner.buildkit.filesync.UploadProvider;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.proto.control.CacheOptionsEntry;
import dev.depotrunner.buildkit.proto.control.Exporter;
import dev.depotrunner.buildkit.proto.control.SolveRequest;
import dev.depotrunner.buildkit.proto.types.WorkerRecord;
import dev.depotrunner.buildkit.secrets.SecretSpec;
import dev.depotrunner.buildkit.secrets.SecretsProvider;
import dev.depotrunner.buildkit.session.Session;
import dev.depotrunner.buildkit.ssh.SshAgentProvider;
import dev.depotrunner.buildkit.ssh.SshSpec;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.buildkit.transport.BuilderVersion;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ContextSource;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@code depot build} on a builder: plans the Solve from the options, serves the session (the
 * build context, exports, registry credentials, secrets, SSH), follows progress as build events, and
 * writes the metadata and image id files.
 *
 * <p>The caller owns the builder connection. {@link #cancel()} may be called from another thread, such as
 * a signal handler.
 */
public final class BuildStep {

  /** The target name of a single build, as buildx names it in events and metadata. */
  public static final String DEFAULT_TARGET = "default";

  private static final String SNAPSHOTTER_LABEL = "org.mobyproject.buildkit.worker.snapshotter";
  private static final String HOST_GATEWAY_LABEL = "org.mobyproject.buildkit.worker.moby.host-gateway-ip";

  private final BuildEventListener listener;
  private final Map<String, String> environment;
  private final OutputStream stdout;
  private final String machineId;
  private final String target;
  private final AtomicReference<BuildKitClient.SolveHandle> running = new AtomicReference<>();
  private volatile boolean cancelled;

  /**
   * @param stdout where a {@code -o -} tarball goes; the caller owns it
   * @param machineId a stable id of this machine, so that the builder reuses its copy of the context
   *     only for the same folder on the same machine
   */
  public BuildStep(BuildEventListener listener, Map<String, String> environment, OutputStream stdout, String machineId) {
    this(listener, environment, stdout, machineId, DEFAULT_TARGET);
  }

  /**
   * @param target the name that every event of this build carries, such as a bake target's name
   */
  public BuildStep(
      BuildEventListener listener, Map<String, String> environment, OutputStream stdout, String machineId, String target) {
    this.listener = listener;
    this.environment = Map.copyOf(environment);
    this.stdout = stdout;
    this.machineId = machineId;
    this.target = target;
  }

  /** Asks the running Solve to stop; {@link #run} then reports the build as cancelled. */
  public void cancel() {
    cancelled = true;
    BuildKitClient.SolveHandle handle = running.get();
    if (handle != null) {
      handle.cancel();
    }
  }

  /** Builds the image described by {@code options} on the builder behind {@code connection}. */
  public BuildResult run(BuildOptions options, BuilderConnection connection)
      throws BuildStepException, InterruptedException {
    return run(options, connection, Map.of());
  }

  /**
   * Builds like {@link #run(BuildOptions, BuilderConnection)}, and serves {@code registryCredentials}
   * (by registry host) to the builder ahead of the docker config, such as the credentials of Depot's
   * registry for a saved build.
   */
  public BuildResult run(
      BuildOptions options, BuilderConnection connection, Map<String, RegistryCredentials> registryCredentials)
      throws BuildStepException, InterruptedException {
    var client = new BuildKitClient(connection);
    SolvePlanBuilderProfile profile = describeBuilder(client, connection);
    SolvePlan plan = plan(options, profile);
    plan.warnings().forEach(warning -> notice(BuildEvent.Level.WARNING, warning));
    checkDockerIgnore(plan);
    checkDockerContexts(plan);

    var engine = new EngineTransfers(listener, environment);
    ContentStores stores = prepareContentStores(plan);
    Session session = openSession(plan, stores, options, engine, registryCredentials);
    SolveRequest request = solveRequest(plan, stores);

    Map<String, String> exporterResponse;
    try {
      exporterResponse = new HashMap<>(solve(client, connection, request, session, options));
    } catch (BuildStepException | InterruptedException | RuntimeException e) {
      engine.abortLoads();
      throw e;
    }
    finishContentStores(stores, exporterResponse);
    engine.finishLoads();
    engine.push(plan.enginePushes(), connection.endpoint(), exporterResponse);

    BuildResult result = new BuildResult(exporterResponse, BuildMetadata.imageId(exporterResponse));
    writeResultFiles(options, result);
    listener.onEvent(new BuildEvent.Succeeded(target, exporterResponse, Instant.now()));
    return result;
  }

  private SolvePlanBuilderProfile describeBuilder(BuildKitClient client, BuilderConnection connection)
      throws BuildStepException {
    BuilderVersion version = connection.version();
    String buildkitVersion = version.buildkit().orElseGet(() -> buildkitOfEngine(version.dockerEngine()));
    if (version.dockerEngine().isEmpty()) {
      return SolvePlanBuilderProfile.buildkit(buildkitVersion);
    }

    boolean dockerHostStore;
    try {
      dockerHostStore = EngineTransfers.sameEngine(connection.endpoint(), EngineTransfers.dockerHost(environment));
    } catch (IllegalArgumentException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }

    List<WorkerRecord> workers;
    try {
      workers = client.workers();
    } catch (BuildKitException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
    boolean containerdStore = false;
    Optional<String> hostGateway = Optional.empty();
    for (WorkerRecord worker : workers) {
      containerdStore |= worker.getLabelsMap().containsKey(SNAPSHOTTER_LABEL);
      String gateway = worker.getLabelsMap().getOrDefault(HOST_GATEWAY_LABEL, "");
      if (!gateway.isEmpty()) {
        hostGateway = Optional.of(gateway);
      }
    }
    var profile = SolvePlanBuilderProfile.dockerEngine(buildkitVersion, containerdStore, hostGateway);
    return dockerHostStore ? profile : profile.withOtherDockerHost();
  }

  /**
   * Returns the oldest BuildKit release a Docker Engine version ships, for engines whose BuildKit reports
   * no version (before BuildKit v0.11, or a build without a version stamp); empty when unknown.
   */
  static String buildkitOfEngine(Optional<String> engineVersion) {
    if (engineVersion.isEmpty()) {
      return "";
    }
    String[] parts = engineVersion.get().split("\\.");
    int major;
    try {
      major = Integer.parseInt(parts[0]);
    } catch (NumberFormatException e) {
      return "";
    }
    if (major >= 28) {
      return "v0.20";
    }
    return switch (major) {
      case 27 -> "v0.14";
      case 26 -> "v0.13";
      case 25 -> "v0.12";
      case 24 -> "v0.11";
      case 23 -> "v0.10";
      case 20 -> "v0.8";
      default -> "";
    };
  }

  private static SolvePlan plan(BuildOptions options, SolvePlanBuilderProfile profile) throws BuildStepException {
    try {
      return SolvePlanner.plan(options, profile);
    } catch (SolvePlanException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
  }

  /**
   * Rejects {@code --output type=docker,context=NAME}: loading into another Docker context would need the
   * docker CLI's context store, which this client does not read.
   */
  private static void checkDockerContexts(SolvePlan plan) throws BuildStepException {
    for (SolvePlan.Exporter exporter : plan.exporters()) {
      if (exporter.destination() instanceof SolvePlan.DockerEngine engine && engine.dockerContext().isPresent()) {
        throw BuildStepException.of("--output type=docker,context=" + engine.dockerContext().get()
            + ": Docker contexts are not supported; drop context= and set DOCKER_HOST to the engine's address", null);
      }
    }
  }

  /**
   * Reads the .dockerignore the Dockerfile frontend will read ({@code <Dockerfile>.dockerignore} beside the
   * Dockerfile, else {@code .dockerignore} in the context) and rejects a malformed pattern up front, because
   * the builder's own message does not say which pattern or file is wrong.
   */
  private static void checkDockerIgnore(SolvePlan plan) throws BuildStepException {
    Path context = plan.localDirs().get("context");
    if (context == null) {
      return;
    }
    Path dockerfileFolder = plan.localDirs().getOrDefault("dockerfile", context);
    String dockerfileName = Path.of(plan.frontendAttributes().getOrDefault("filename", "Dockerfile")).getFileName().toString();
    Path ignoreFile = dockerfileFolder.resolve(dockerfileName + ".dockerignore");
    if (!Files.isRegularFile(ignoreFile)) {
      ignoreFile = context.resolve(".dockerignore");
    }
    if (!Files.isRegularFile(ignoreFile)) {
      return;
    }

    try {
      PatternMatcher.compile(DockerIgnore.read(ignoreFile));
    } catch (InvalidPatternException e) {
      throw BuildStepException.of(e.getMessage() + " in " + ignoreFile + "; fix or remove that line", e);
    } catch (IOException e) {
      throw BuildStepException.of("failed to read " + ignoreFile + ": " + e.getMessage(), e);
    }
  }

  private ContentStores prepareContentStores(SolvePlan plan) throws BuildStepException {
    var builder = ContentStores.builder()
        .cacheImports(cacheEntries(plan.cacheImports()))
        .cacheExports(cacheEntries(plan.cacheExports()))
        .warnings(warning -> notice(BuildEvent.Level.WARNING, warning));
    for (SolvePlan.OciLayoutStore layout : plan.ociLayouts()) {
      builder.ociLayout(layout.store(), layout.path());
    }
    for (SolvePlan.Exporter exporter : plan.exporters()) {
      if (exporter.destination() instanceof SolvePlan.ContentStore store) {
        builder.exportDirectory(store.path());
      }
    }

    try {
      return builder.build();
    } catch (ContentStoreException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
  }

  private static List<CacheOptionsEntry> cacheEntries(List<SolvePlan.CacheEntry> entries) {
    return entries.stream().map(SolvePlan::toProto).toList();
  }

  private Session openSession(
      SolvePlan plan, ContentStores stores, BuildOptions options, EngineTransfers engine,
      Map<String, RegistryCredentials> registryCredentials) throws BuildStepException {
    String sharedKey = plan.sharedKey().map(key -> key + ":" + machineId).orElse(machineId);
    var session = Session.builder(plan.sharedKey().orElse("depot-build")).sharedKey(sharedKey);

    session.service(FileSyncService.of(plan.localDirs()));
    if (options.context() instanceof ContextSource.Archive archive) {
      session.service(new UploadProvider().add(archive.uploadId(), archive.stream()));
    }
    fileSendTargets(plan, engine).ifPresent(session::service);
    stores.service().ifPresent(session::service);
    AuthProviderOptions auth = AuthProviderOptions.fromEnvironment(environment);
    for (Map.Entry<String, RegistryCredentials> entry : registryCredentials.entrySet()) {
      auth = auth.withCredentials(entry.getKey(), entry.getValue());
    }
    session.service(AuthProvider.create(auth));

    try {
      List<SecretSpec> secrets = new ArrayList<>();
      for (String spec : plan.secrets()) {
        secrets.add(SecretSpec.parse(spec));
      }
      session.service(SecretsProvider.create(secrets, environment));

      if (!plan.ssh().isEmpty()) {
        List<SshSpec> agents = new ArrayList<>();
        for (String spec : plan.ssh()) {
          agents.add(SshSpec.parse(spec));
        }
        session.service(SshAgentProvider.create(agents, environment));
      }
    } catch (IOException | IllegalArgumentException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
    return session.build();
  }

  private Optional<FileSendTargets> fileSendTargets(SolvePlan plan, EngineTransfers engine) throws BuildStepException {
    var targets = FileSendTargets.builder();
    boolean any = false;
    List<SolvePlan.Exporter> exporters = plan.exporters();
    for (int index = 0; index < exporters.size(); index++) {
      SolvePlan.Destination destination = exporters.get(index).destination();
      if (destination instanceof SolvePlan.Directory directory) {
        targets.localDirectory(index, directory.path());
        any = true;
      } else if (destination instanceof SolvePlan.File file) {
        targets.file(index, file.path());
        any = true;
      } else if (destination instanceof SolvePlan.Stdout) {
        targets.stream(index, stdout);
        any = true;
      } else if (destination instanceof SolvePlan.DockerEngine) {
        targets.stream(index, engine.loadTarget(index));
        any = true;
      }
    }
    return any ? Optional.of(targets.build()) : Optional.empty();
  }

  private static SolveRequest solveRequest(SolvePlan plan, ContentStores stores) {
    var request = SolveRequest.newBuilder()
        .setFrontend(plan.frontend())
        .putAllFrontendAttrs(plan.frontendAttributes())
        // The stores' list replaces the plan's: it leaves out local imports that were not found.
        .removeFrontendAttrs(SolvePlan.CACHE_IMPORTS_ATTRIBUTE)
        .putAllFrontendAttrs(stores.frontendAttributes())
        .setCache(stores.cacheOptions())
        .addAllEntitlements(plan.entitlements());

    // Builders before BuildKit v0.13 read only the deprecated single exporter, so the first one goes
    // there too, as BuildKit's own client sends it.
    List<SolvePlan.Exporter> exporters = plan.exporters();
    for (int index = 0; index < exporters.size(); index++) {
      SolvePlan.Exporter exporter = exporters.get(index);
      request.addExporters(Exporter.newBuilder().setType(exporter.type()).putAllAttrs(exporter.attributes()));
      if (index == 0) {
        request.setExporterDeprecated(exporter.type()).putAllExporterAttrsDeprecated(exporter.attributes());
      }
    }
    return request.build();
  }

  private Map<String, String> solve(
      BuildKitClient client, BuilderConnection connection, SolveRequest request, Session session, BuildOptions options)
      throws BuildStepException, InterruptedException {
    List<String> platforms = options.platforms().stream().map(Object::toString).toList();
    listener.onEvent(new BuildEvent.Started(target, connection.description(), platforms, Instant.now()));

    try {
      BuildKitClient.SolveHandle handle = client.startSolve(
          request, session, status -> listener.onEvent(new BuildEvent.Progress(target, status)));
      running.set(handle);
      if (cancelled) {
        handle.cancel();
      }
      return handle.await();
    } catch (SolveCancelledException e) {
      listener.onEvent(new BuildEvent.Cancelled(target, Instant.now()));
      throw BuildStepException.reported("build cancelled", e);
    } catch (SolveFailedException e) {
      List<SourceLocation> sources = e.sources();
      SourceLocation source = sources.isEmpty() ? null : sources.get(sources.size() - 1);
      // BuildKit's own client names the operation this way, and the renderers print it after "failed to build:".
      String message = "failed to solve: " + e.getMessage();
      listener.onEvent(new BuildEvent.Failed(target, message, e.vertex(), source, Instant.now()));
      throw BuildStepException.reported("failed to build: " + message, e);
    } catch (BuildKitException e) {
      listener.onEvent(new BuildEvent.Failed(target, e.getMessage(), "", null, Instant.now()));
      throw BuildStepException.reported(e.getMessage(), e);
    } finally {
      running.set(null);
    }
  }

  private static void finishContentStores(ContentStores stores, Map<String, String> exporterResponse)
      throws BuildStepException {
    try {
      stores.finishSolve(exporterResponse);
    } catch (ContentStoreException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
  }

  private static void writeResultFiles(BuildOptions options, BuildResult result) throws BuildStepException {
    try {
      if (options.metadataFile().isPresent()) {
        BuildMetadata.write(options.metadataFile().get(), BuildMetadata.fromExporterResponse(result.exporterResponse()));
      }
      if (options.imageIdFile().isPresent()) {
        BuildMetadata.writeImageId(options.imageIdFile().get(), result.imageId());
      }
    } catch (IOException e) {
      throw BuildStepException.of("failed to write the build's result files: " + e.getMessage(), e);
    }
  }

  private void notice(BuildEvent.Level level, String message) {
    listener.onEvent(new BuildEvent.Notice(target, level, message));
  }
}
