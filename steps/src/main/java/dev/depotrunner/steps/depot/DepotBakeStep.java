package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.proto.cli.v1.BuilderPlatform;
import dev.depotrunner.steps.bake.BakeDefinition;
import dev.depotrunner.steps.bake.BakeResult;
import dev.depotrunner.steps.bake.BakeStep;
import dev.depotrunner.steps.bake.BakeStepException;
import dev.depotrunner.steps.bake.BakeTarget;
import dev.depotrunner.steps.bake.TargetBuilders;
import dev.depotrunner.steps.build.BuildMetadata;
import dev.depotrunner.steps.build.BuildStep;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Runs {@code depot bake} on Depot builders. The targets are grouped by Depot project (the target's
 * {@code project_id} or {@code x-depot.project-id}, else the default project), and each project becomes
 * one Depot build whose CreateBuild request lists its targets, as the Depot CLI does. Every target starts
 * at once; a target connects to its project's builder for its builder platform, so targets of one
 * project share a builder. The first failure cancels the rest, and every build is finished: success,
 * the error for the failing target's build, cancelled for the others. With {@code --save}, each target
 * is also pushed to the project's Depot registry under the build's saved tags suffixed with its name.
 *
 * <p>{@link #cancel()} may be called from another thread, such as a signal handler.
 */
public final class DepotBakeStep {

  private final BuildService api;
  private final BuildEventListener listener;
  private final Map<String, String> environment;
  private final Duration healthInterval;
  private final BakeStep bake;
  private final List<DepotBuild> builds = new CopyOnWriteArrayList<>();
  private final List<DepotBuildStep.CreatedBuild> created = new CopyOnWriteArrayList<>();
  private final Map<String, SavedImage> savedImages = new ConcurrentHashMap<>();
  private volatile boolean cancelled;

  /**
   * @param api Depot's build service; the caller owns its HTTP client
   * @param stdout where a {@code -o -} tarball goes; the caller owns it
   * @param machineId a stable id of this machine, as {@link BuildStep} takes it
   */
  public DepotBakeStep(
      BuildService api, BuildEventListener listener, Map<String, String> environment, OutputStream stdout,
      String machineId, Duration healthInterval) {
    this.api = api;
    this.listener = listener;
    this.environment = Map.copyOf(environment);
    this.healthInterval = healthInterval;
    this.bake = new BakeStep(listener, environment, stdout, machineId);
  }

  /** Returns the Depot builds created so far, in the order of the targets that named their projects. */
  public List<DepotBuildStep.CreatedBuild> created() {
    return List.copyOf(created);
  }

  /** Cancels every build: stops waiting for builders and cancels the running Solves. */
  public void cancel() {
    cancelled = true;
    builds.forEach(DepotBuild::cancel);
    bake.cancel();
  }

  /**
   * Builds every target of {@code definition} on Depot.
   *
   * @param targets the checked options of every target, as {@link BakeStep#validate} returns them
   * @param defaultProject the project of targets that name none, if any
   * @param token the user's token, which CreateBuild takes
   * @throws BakeStepException if a build cannot be created or a target fails; its message is one line
   */
  public BakeResult run(
      BakeDefinition definition, Map<String, BuildOptions> targets, Supplier<BuildOptions.Builder> defaults,
      Optional<Path> metadataFile, Optional<String> defaultProject, ApiToken token)
      throws BakeStepException, InterruptedException {
    Map<String, Map<String, BuildOptions>> projects = byProject(definition, targets, defaultProject);
    checkLinksStayInProject(definition, projects);

    Map<String, DepotBuild> buildOfTarget = new LinkedHashMap<>();
    Map<DepotBuild, List<String>> targetsOfBuild = new LinkedHashMap<>();
    try {
      for (var project : projects.entrySet()) {
        DepotBuild build = create(project.getKey(), project.getValue(), namingTarget(definition, project.getValue()), token);
        targetsOfBuild.put(build, List.copyOf(project.getValue().keySet()));
        project.getValue().keySet().forEach(name -> buildOfTarget.put(name, build));
      }

      BakeResult result = bake.run(definition, defaults, metadataFile, new DepotTargets(buildOfTarget, targets));
      targetsOfBuild.keySet().forEach(DepotBuild::succeeded);
      recordInMetadata(metadataFile, targetsOfBuild);
      targetsOfBuild.forEach((build, names) -> printSaveUsage(build, names, targets.get(names.get(0))));
      return result;
    } catch (BakeStepException e) {
      finishAfterFailure(targetsOfBuild.keySet(), buildOfTarget.get(e.target()), e.getMessage());
      throw e;
    } catch (InterruptedException e) {
      targetsOfBuild.keySet().forEach(DepotBuild::canceled);
      throw e;
    } catch (RuntimeException e) {
      targetsOfBuild.keySet().forEach(build -> build.failed(e.getMessage()));
      throw e;
    } finally {
      targetsOfBuild.keySet().forEach(DepotBuild::close);
    }
  }

  /**
   * Creates the build of one project.
   *
   * @param namingTarget the first target whose {@code project_id} named the project, or empty when the
   *     project is the default one; a failure is reported on that target
   */
  private DepotBuild create(
      String projectId, Map<String, BuildOptions> targets, Optional<String> namingTarget, ApiToken token)
      throws BakeStepException, InterruptedException {
    DepotBuild build;
    try {
      build = DepotBuild.create(api, CreateBuildRequests.forBake(targets, projectId), token, healthInterval,
          this::warn, this::cancel);
    } catch (BuildStepException e) {
      throw createFailure(namingTarget, e);
    }
    builds.add(build);
    if (cancelled) {
      build.cancel();
    }
    created.add(new DepotBuildStep.CreatedBuild(build.id(), build.url(), build.projectId()));
    announce(build, targets.values().iterator().next());
    return build;
  }

  /**
   * The builders of a bake on Depot: each target connects to its build's builder of the target's
   * platform, once per build and platform, so that targets of one project share a builder. With
   * {@code --save}, each target's options get the save export, its tags suffixed with the target's name.
   */
  private final class DepotTargets implements TargetBuilders {
    private final Map<String, DepotBuild> buildOfTarget;
    private final Map<String, BuildOptions> targets;
    private final Map<String, BuilderConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    DepotTargets(Map<String, DepotBuild> buildOfTarget, Map<String, BuildOptions> targets) {
      this.buildOfTarget = buildOfTarget;
      this.targets = targets;
    }

    @Override
    public BuilderConnection connectionFor(String target) throws BuildStepException, InterruptedException {
      DepotBuild build = buildOfTarget.get(target);
      BuilderPlatform platform = builderPlatform(targets.get(target));
      String key = build.id() + "/" + platform;
      synchronized (locks.computeIfAbsent(key, ignored -> new Object())) {
        BuilderConnection connection = connections.get(key);
        if (connection == null) {
          connection = build.connect(platform);
          connections.put(key, connection);
        }
        return connection;
      }
    }

    @Override
    public TargetBuild prepare(String target, BuildOptions options) throws BuildStepException {
      if (!options.save()) {
        return new TargetBuild(options, Map.of());
      }
      DepotBuild build = buildOfTarget.get(target);
      SavedImage saved = SavedImage.add(options, build.response(), build.projectId(), Optional.of(target));
      savedImages.put(target, saved);
      return new TargetBuild(saved.options(), saved.credentials());
    }
  }

  /**
   * Returns the builder a target runs on: its architecture's builder, or {@code --build-platform}'s.
   *
   * <p>NOTE: a bake target whose platforms span amd64 and arm64 runs on the first architecture's
   * builder, which emulates the other; {@code depot build} splits such a build over both builders.
   */
  static BuilderPlatform builderPlatform(BuildOptions options) {
    return PlatformGroup.split(options.platforms(), options.buildPlatform(), PlatformGroup.hostBuilder())
        .get(0).builder();
  }

  /** Returns the first of the targets that names its project with {@code project_id}, if any. */
  private static Optional<String> namingTarget(BakeDefinition definition, Map<String, BuildOptions> targets) {
    return targets.keySet().stream()
        .filter(name -> definition.targets().get(name).projectId().isPresent())
        .findFirst();
  }

  /**
   * Builds the failure of a CreateBuild call. When a target named the project, the failure is that
   * target's, and an unknown project points at its {@code project_id} instead of the default project's
   * sources.
   */
  static BakeStepException createFailure(Optional<String> namingTarget, BuildStepException failure) {
    if (namingTarget.isEmpty()) {
      return BakeStepException.of(null, failure.getMessage(), failure);
    }

    String target = namingTarget.get();
    if (failure.getCause() instanceof DepotApiException api && api.code() == ConnectCode.NOT_FOUND) {
      return BakeStepException.of(target, api.messageWithHint("check project_id of target " + target), failure);
    }
    return BakeStepException.of(target, failure.getMessage(), failure);
  }

  /**
   * Groups the targets by project, in target order.
   *
   * @throws BakeStepException if a target has no project and there is no default
   */
  static Map<String, Map<String, BuildOptions>> byProject(
      BakeDefinition definition, Map<String, BuildOptions> targets, Optional<String> defaultProject)
      throws BakeStepException {
    Map<String, Map<String, BuildOptions>> projects = new LinkedHashMap<>();
    for (var entry : targets.entrySet()) {
      BakeTarget target = definition.targets().get(entry.getKey());
      Optional<String> project = target.projectId().or(() -> defaultProject);
      if (project.isEmpty()) {
        throw BakeStepException.of(entry.getKey(), "target " + entry.getKey() + " has no Depot project: set"
            + " project_id on the target, pass --project, set DEPOT_PROJECT_ID or run depot init", null);
      }
      projects.computeIfAbsent(project.get(), ignored -> new LinkedHashMap<>()).put(entry.getKey(), entry.getValue());
    }
    return projects;
  }

  /**
   * Rejects a {@code target:} context that crosses projects, because the dependency's image is passed
   * through the client's content store, which would then connect two Depot builds' builders.
   */
  private static void checkLinksStayInProject(
      BakeDefinition definition, Map<String, Map<String, BuildOptions>> projects) throws BakeStepException {
    Map<String, String> projectOf = new LinkedHashMap<>();
    projects.forEach((project, targets) -> targets.keySet().forEach(name -> projectOf.put(name, project)));
    for (BakeTarget target : definition.targets().values()) {
      for (String linked : target.linkedTargets()) {
        String project = projectOf.get(target.name());
        String linkedProject = projectOf.get(linked);
        if (project != null && linkedProject != null && !project.equals(linkedProject)) {
          throw BakeStepException.of(target.name(), "target " + target.name() + " reads target:" + linked
              + " but they are in different Depot projects (" + project + ", " + linkedProject + "): give them the"
              + " same project_id", null);
        }
      }
    }
  }

  /**
   * Finishes the failing target's build with the error and the others as cancelled, since the first
   * failure cancelled their targets.
   */
  private static void finishAfterFailure(Iterable<DepotBuild> builds, DepotBuild failing, String message) {
    for (DepotBuild build : builds) {
      if (build == failing) {
        build.failed(message);
      } else {
        build.canceled();
      }
    }
  }

  /**
   * Adds {@code depot.build} to the metadata file, as the Depot CLI writes it for a bake: the build, its
   * project and its targets.
   *
   * <p>NOTE: with targets in several projects, the Depot CLI's builds each write the file and the last one
   * wins; here the first project's build is recorded, so the entry does not depend on timing.
   */
  private static void recordInMetadata(Optional<Path> metadataFile, Map<DepotBuild, List<String>> targetsOfBuild)
      throws BakeStepException {
    if (metadataFile.isEmpty() || targetsOfBuild.isEmpty()) {
      return;
    }
    var first = targetsOfBuild.entrySet().iterator().next();
    try {
      BuildMetadata.addDepotBuild(metadataFile.get(), first.getKey().id(), first.getKey().projectId(),
          new ArrayList<>(first.getValue()));
    } catch (IOException e) {
      throw BakeStepException.of(null, "failed to write " + metadataFile.get() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Shows how to pull and push a build's saved targets, as the Depot CLI does after a saved bake, unless
   * progress is quiet or {@code DEPOT_NO_SUMMARY_LINK} is set.
   */
  private void printSaveUsage(DepotBuild build, List<String> names, BuildOptions options) {
    List<String> saved = names.stream().filter(savedImages::containsKey).toList();
    if (saved.isEmpty() || !showsSummary(options)) {
      return;
    }

    List<String> lines = new ArrayList<>();
    lines.add("Saved target" + (saved.size() > 1 ? "s" : "") + ": " + String.join(",", saved));
    lines.add("\tTo pull: depot pull --project " + build.projectId() + " " + build.id());
    List<String> saveTags = saved.stream()
        .flatMap(name -> savedImages.get(name).tags().stream())
        .map(Object::toString)
        .filter(tag -> !tag.contains(build.id()))
        .distinct()
        .toList();
    if (!saveTags.isEmpty()) {
      String registry = savedImages.get(saved.get(0)).tags().get(0).domain();
      lines.add("\tTo pull save-tags:");
      lines.add("\t\tdocker login " + registry + " -u " + SavedImage.TOKEN_USER
          + " -p $(depot pull-token --project " + build.projectId() + ")");
      saveTags.forEach(tag -> lines.add("\t\tdocker pull " + tag));
    }
    lines.add("\tTo push: depot push --project " + build.projectId() + " --target <TARGET> --tag <REPOSITORY:TAG> "
        + build.id());
    lines.forEach(line -> listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO, line)));
  }

  private boolean showsSummary(BuildOptions options) {
    return DepotBuildStep.showsSummary(options, environment);
  }

  private void warn(String message) {
    listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.WARNING, message));
  }

  /** Shows a build's page, unless {@code DEPOT_NO_SUMMARY_LINK} is set or progress is quiet. */
  private void announce(DepotBuild build, BuildOptions options) {
    if (build.url().isEmpty() || !showsSummary(options)) {
      return;
    }
    listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO,
        "Build: " + build.url() + " (project " + build.projectId() + ")"));
  }
}
