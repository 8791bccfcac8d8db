package dev.depotrunner.steps.bake;

import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.steps.build.BuildMetadata;
import dev.depotrunner.steps.build.BuildResult;
import dev.depotrunner.steps.build.BuildStep;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.InvalidBuildOptionsException;
import dev.depotrunner.steps.events.BuildEventListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Builds the targets of a resolved bake at the same time, on one shared builder or one per target, each in its
 * own Solve with its own session, and reports progress as build events named after the targets.
 *
 * <p>A target named in another's {@code target:NAME} context builds first. Its image is exported as an
 * OCI layout into a temporary folder ({@code type=oci,tar=false}, which the client receives through the
 * session's content store), and the dependent build reads it as an {@code oci-layout://} context served
 * from that folder. This works on a Docker Engine and on buildkitd alike; buildx instead solves both in
 * one gateway build. The first target that fails cancels the others.
 *
 * <p>The caller owns the connections. {@link #cancel()} may be called from another thread.
 */
public final class BakeStep {

  private final BuildEventListener listener;
  private final Map<String, String> environment;
  private final OutputStream stdout;
  private final String machineId;
  private final Map<String, BuildStep> running = new ConcurrentHashMap<>();
  private volatile boolean cancelled;

  public BakeStep(BuildEventListener listener, Map<String, String> environment, OutputStream stdout, String machineId) {
    this.listener = listener;
    this.environment = Map.copyOf(environment);
    this.stdout = stdout;
    this.machineId = machineId;
  }

  /** Stops every running build; {@link #run} then fails as cancelled. */
  public void cancel() {
    cancelled = true;
    running.values().forEach(BuildStep::cancel);
  }

  /**
   * Returns the options of every target, checked, so that a bad value fails before anything builds; the
   * caller closes them. {@code defaults} makes a builder with the settings shared by all targets.
   */
  public static Map<String, BuildOptions> validate(BakeDefinition definition, Supplier<BuildOptions.Builder> defaults)
      throws BakeStepException {
    Map<String, BuildOptions> options = new LinkedHashMap<>();
    try {
      for (BakeTarget target : definition.targets().values()) {
        options.put(target.name, buildOptions(target, defaults, Map.of(), List.of()));
      }
    } catch (BakeStepException e) {
      options.values().forEach(BuildOptions::close);
      throw e;
    }
    return options;
  }

  /**
   * Builds every target of {@code definition} and writes {@code metadataFile} (one entry per target),
   * when given.
   */
  public BakeResult run(
      BakeDefinition definition, Supplier<BuildOptions.Builder> defaults, Optional<Path> metadataFile, BuilderConnection connection)
      throws BakeStepException, InterruptedException {
    return run(definition, defaults, metadataFile, TargetBuilders.shared(connection));
  }

  /**
   * Builds every target of {@code definition} on the builder {@code builders} gives for it, and writes
   * {@code metadataFile} (one entry per target), when given.
   */
  public BakeResult run(
      BakeDefinition definition, Supplier<BuildOptions.Builder> defaults, Optional<Path> metadataFile, TargetBuilders builders)
      throws BakeStepException, InterruptedException {
    Path layouts = createLayoutFolder();
    try {
      Map<String, BuildResult> results = buildAll(definition, defaults, builders, layouts);
      writeMetadata(metadataFile, results);
      return new BakeResult(results);
    } finally {
      deleteRecursively(layouts);
    }
  }

  private Map<String, BuildResult> buildAll(
      BakeDefinition definition, Supplier<BuildOptions.Builder> defaults, TargetBuilders builders, Path layouts)
      throws BakeStepException, InterruptedException {
    List<String> dependencies = dependencies(definition);
    Map<String, CompletableFuture<BuildResult>> builds = new LinkedHashMap<>();
    var firstFailure = new java.util.concurrent.atomic.AtomicReference<BakeStepException>();
    for (String name : buildOrder(definition)) {
      BakeTarget target = definition.targets().get(name);
      List<CompletableFuture<BuildResult>> inputs = new ArrayList<>();
      target.linkedTargets().forEach(linked -> inputs.add(builds.get(linked)));

      CompletableFuture<BuildResult> build = CompletableFuture.allOf(inputs.toArray(CompletableFuture[]::new))
          .thenApplyAsync(ignored -> {
            try {
              return buildTarget(target, defaults, builders, layouts, dependencies.contains(name), builds);
            } catch (BakeStepException e) {
              throw new TargetFailure(e);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new TargetFailure(new BakeStepException(name, "target " + name + ": interrupted", e, false));
            }
          }, runnable -> startThread(name, runnable));
      build.whenComplete((result, failure) -> {
        // The first target to fail is the one to report; it cancels the others, whose failures follow from it.
        if (failure != null && failure.getCause() instanceof TargetFailure targetFailure
            && firstFailure.compareAndSet(null, targetFailure.exception)) {
          cancel();
        }
      });
      builds.put(name, build);
    }

    Map<String, BuildResult> results = new TreeMap<>();
    for (var entry : builds.entrySet()) {
      try {
        results.put(entry.getKey(), entry.getValue().get());
      } catch (ExecutionException e) {
        firstFailure.compareAndSet(null, new BakeStepException(entry.getKey(), "target " + entry.getKey() + ": "
            + e.getCause().getMessage(), e.getCause(), false));
      }
    }
    if (firstFailure.get() != null) {
      throw firstFailure.get();
    }
    return results;
  }

  private BuildResult buildTarget(
      BakeTarget target, Supplier<BuildOptions.Builder> defaults, TargetBuilders builders, Path layouts,
      boolean exportLayout, Map<String, CompletableFuture<BuildResult>> builds)
      throws BakeStepException, InterruptedException {
    if (cancelled) {
      throw new BakeStepException(target.name, "target " + target.name + ": cancelled", null, true);
    }
    Map<String, String> linkedContexts = new LinkedHashMap<>();
    for (String linked : target.linkedTargets()) {
      BuildResult input = builds.get(linked).getNow(null);
      String digest = input == null ? "" : input.exporterResponse().getOrDefault("containerimage.digest", "");
      linkedContexts.put(linked, "oci-layout://" + layouts.resolve(linked) + (digest.isEmpty() ? "" : "@" + digest));
    }
    List<String> extraOutputs = exportLayout
        ? List.of("type=oci,tar=false,dest=" + layouts.resolve(target.name))
        : List.of();

    try (BuildOptions options = buildOptions(target, defaults, linkedContexts, extraOutputs)) {
      var step = new BuildStep(listener, environment, stdout, machineId, target.name);
      running.put(target.name, step);
      if (cancelled) {
        step.cancel();
      }
      try {
        TargetBuilders.TargetBuild prepared = builders.prepare(target.name, options);
        return step.run(prepared.options(), builders.connectionFor(target.name), prepared.credentials());
      } catch (BuildStepException e) {
        String message = e.getMessage().startsWith("failed to build: ")
            ? e.getMessage().substring("failed to build: ".length())
            : e.getMessage();
        throw new BakeStepException(target.name, "target " + target.name + ": " + message, e, e.reported());
      } finally {
        running.remove(target.name);
      }
    }
  }

  private static BuildOptions buildOptions(
      BakeTarget target, Supplier<BuildOptions.Builder> defaults, Map<String, String> linkedContexts, List<String> extraOutputs)
      throws BakeStepException {
    try {
      return TargetBuildOptions.builder(target, defaults, linkedContexts, extraOutputs).build();
    } catch (InvalidBuildOptionsException e) {
      String where = target.position().isEmpty() ? "" : " (" + target.position() + ")";
      throw new BakeStepException(target.name, "target " + target.name + where + ": " + String.join("; ", e.problems()), e, false);
    } catch (BakeFileException e) {
      throw new BakeStepException(target.name, e.getMessage(), e, false);
    }
  }

  /** Returns the targets that other targets read through {@code target:} contexts. */
  private static List<String> dependencies(BakeDefinition definition) {
    List<String> names = new ArrayList<>();
    for (BakeTarget target : definition.targets().values()) {
      target.linkedTargets().stream().filter(name -> !names.contains(name)).forEach(names::add);
    }
    return names;
  }

  /** Orders the targets so that each comes after the targets it reads; the resolver rejected loops. */
  private static List<String> buildOrder(BakeDefinition definition) {
    List<String> order = new ArrayList<>();
    for (String name : definition.targets().keySet()) {
      visit(name, definition, order);
    }
    return order;
  }

  private static void visit(String name, BakeDefinition definition, List<String> order) {
    if (order.contains(name)) {
      return;
    }
    for (String linked : definition.targets().get(name).linkedTargets()) {
      visit(linked, definition, order);
    }
    order.add(name);
  }

  private static void startThread(String target, Runnable runnable) {
    Thread thread = new Thread(runnable, "depot-bake-" + target);
    thread.setDaemon(true);
    thread.start();
  }

  private static Path createLayoutFolder() throws BakeStepException {
    try {
      return Files.createTempDirectory("depot-bake-");
    } catch (IOException e) {
      throw new BakeStepException(null, "failed to create a temporary folder for target: contexts: " + e.getMessage(), e, false);
    }
  }

  private static void writeMetadata(Optional<Path> metadataFile, Map<String, BuildResult> results) throws BakeStepException {
    if (metadataFile.isEmpty()) {
      return;
    }
    var metadata = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    results.forEach((name, result) -> metadata.set(name, BuildMetadata.fromExporterResponse(result.exporterResponse())));
    try {
      BuildMetadata.write(metadataFile.get(), metadata);
    } catch (IOException e) {
      throw new BakeStepException(null, "failed to write " + metadataFile.get() + ": " + e.getMessage(), e, false);
    }
  }

  private static void deleteRecursively(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A folder left behind in the temporary folder is harmless, so the bake's result is kept.
    }
  }

  /** Carries a target's failure through the futures. */
  private static final class TargetFailure extends RuntimeException {
    final BakeStepException exception;

    TargetFailure(BakeStepException exception) {
      super(exception.getMessage(), exception, false, false);
      this.exception = exception;
    }
  }
}
