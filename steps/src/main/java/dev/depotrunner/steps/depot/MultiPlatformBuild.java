package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.auth.RegistryCredentials;
import dev.depotrunner.buildkit.transport.BuilderConnection;
import dev.depotrunner.registry.Credentials;
import dev.depotrunner.registry.ImageName;
import dev.depotrunner.registry.IndexPush;
import dev.depotrunner.registry.PushedIndex;
import dev.depotrunner.registry.RegistryCredential;
import dev.depotrunner.registry.RegistryException;
import dev.depotrunner.steps.build.BuildMetadata;
import dev.depotrunner.steps.build.BuildResult;
import dev.depotrunner.steps.build.BuildStep;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.OutputSpec;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Runs a build whose platforms span both architectures on one Depot builder per architecture, in
 * parallel, and joins the results: pushed images become one image index under every tag, and a
 * {@code local} or {@code tar} export gets one folder per platform. The first failure cancels the other builders and
 * is the error the build fails with.
 *
 * <p>Each builder's progress is labelled with its architecture by {@link BuilderProgress}, so the
 * renderers show both builders.
 *
 * <p>{@link #cancel()} may be called from another thread.
 */
final class MultiPlatformBuild {

  private final BuildEventListener listener;
  private final Map<String, String> environment;
  private final OutputStream stdout;
  private final String machineId;
  private final List<Builder> builders = new ArrayList<>();
  private volatile boolean cancelled;

  /** One builder's part of the build. */
  private final class Builder {
    final PlatformGroup group;
    final BuildStep step;
    final AtomicReference<Thread> waitingForBuilder = new AtomicReference<>();
    Future<BuildResult> future;

    Builder(PlatformGroup group, BuilderProgress.Shared progress) {
      this.group = group;
      this.step = new BuildStep(new BuilderProgress(listener, group.label(), progress), environment, stdout, machineId);
    }

    void cancel() {
      step.cancel();
      // A running Solve ends through the step's cancellation. Only a wait for the builder needs an interrupt.
      Thread waiting = waitingForBuilder.get();
      if (waiting != null) {
        waiting.interrupt();
      }
    }
  }

  private volatile Map<String, RegistryCredentials> registryCredentials = Map.of();

  MultiPlatformBuild(BuildEventListener listener, Map<String, String> environment, OutputStream stdout, String machineId) {
    this.listener = listener;
    this.environment = Map.copyOf(environment);
    this.stdout = stdout;
    this.machineId = machineId;
  }

  /** Cancels every builder's part of the build. */
  void cancel() {
    cancelled = true;
    synchronized (builders) {
      builders.forEach(Builder::cancel);
    }
  }

  /**
   * Builds {@code groups}, one per builder of {@code depotBuild}, and joins their results.
   *
   * @param registryCredentials credentials by registry host that the builders' sessions and the index
   *     push use before the user's, such as those of a {@code --save}
   * @throws BuildStepException with the first builder's failure, or if an output cannot be joined
   */
  BuildResult run(
      DepotBuild depotBuild, BuildOptions options, List<PlatformGroup> groups,
      Map<String, RegistryCredentials> registryCredentials) throws BuildStepException, InterruptedException {
    this.registryCredentials = Map.copyOf(registryCredentials);
    BuilderOutputs outputs = BuilderOutputs.plan(options);
    Path scratch = createScratch(outputs);
    BuildResult joined;
    try {
      List<BuildResult> results = buildAll(depotBuild, options, groups, outputs, scratch);
      joinTarballs(outputs, groups, scratch);
      joined = join(outputs, results);
    } finally {
      deleteScratch(scratch);
    }
    writeResultFiles(options, joined);
    listener.onEvent(new BuildEvent.Succeeded(BuildStep.DEFAULT_TARGET, joined.exporterResponse(), Instant.now()));
    return joined;
  }

  private List<BuildResult> buildAll(
      DepotBuild depotBuild, BuildOptions options, List<PlatformGroup> groups, BuilderOutputs outputs, Path scratch)
      throws BuildStepException, InterruptedException {
    ExecutorService threads = Executors.newFixedThreadPool(groups.size(), runnable -> {
      Thread thread = new Thread(runnable, "depot-builder");
      thread.setDaemon(true);
      return thread;
    });
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    var progress = new BuilderProgress.Shared(options.platforms().stream().map(Object::toString).toList());
    try {
      for (PlatformGroup group : groups) {
        var builder = new Builder(group, progress);
        synchronized (builders) {
          builders.add(builder);
        }
        BuildOptions builderOptions = options.forBuilder(group.platforms(), outputs.outputsFor(group, scratch));
        builder.future = threads.submit(() -> {
          try {
            return buildOn(depotBuild, builder, builderOptions);
          } catch (Exception | Error e) {
            if (firstFailure.compareAndSet(null, e)) {
              cancelOthers(builder);
            }
            throw e;
          }
        });
      }
      if (cancelled) {
        cancel();
      }
      return awaitAll(firstFailure);
    } finally {
      threads.shutdownNow();
    }
  }

  private BuildResult buildOn(DepotBuild depotBuild, Builder builder, BuildOptions options)
      throws BuildStepException, InterruptedException {
    BuilderConnection connection;
    builder.waitingForBuilder.set(Thread.currentThread());
    try {
      connection = depotBuild.connect(builder.group.builder());
    } catch (BuildStepException e) {
      if (depotBuild.isCancelled()) {
        listener.onEvent(new BuildEvent.Cancelled(BuildStep.DEFAULT_TARGET, Instant.now()));
      }
      throw BuildStepException.of(builder.group.label() + " builder: " + e.getMessage(), e);
    } finally {
      builder.waitingForBuilder.set(null);
    }
    return builder.step.run(options, connection, registryCredentials);
  }

  private void cancelOthers(Builder failed) {
    synchronized (builders) {
      builders.stream().filter(builder -> builder != failed).forEach(Builder::cancel);
    }
  }

  private List<BuildResult> awaitAll(AtomicReference<Throwable> firstFailure)
      throws BuildStepException, InterruptedException {
    List<BuildResult> results = new ArrayList<>();
    List<Builder> started;
    synchronized (builders) {
      started = List.copyOf(builders);
    }
    for (Builder builder : started) {
      try {
        results.add(builder.future.get());
      } catch (ExecutionException e) {
        // Wait for the rest, so that no builder still runs when FinishBuild is sent.
        continue;
      } catch (InterruptedException e) {
        cancel();
        throw e;
      }
    }

    Throwable failure = firstFailure.get();
    if (failure == null) {
      return results;
    }
    if (failure instanceof BuildStepException buildFailure) {
      throw buildFailure;
    }
    if (failure instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException("builder failed unexpectedly", failure);
  }

  private static Path createScratch(BuilderOutputs outputs) throws BuildStepException {
    if (outputs.tar().isEmpty()) {
      return null;
    }
    try {
      return Files.createTempDirectory("depot-tar-");
    } catch (IOException e) {
      throw BuildStepException.of("failed to create a temporary folder for the tar export: " + e.getMessage(), e);
    }
  }

  private static void deleteScratch(Path scratch) {
    if (scratch == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(scratch)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // NOTE: a scratch tarball that cannot be deleted stays in the temporary folder for the OS to clean up.
    }
  }

  /** Writes the builders' tarballs as one to the {@code tar} output's destination: a file, or stdout. */
  private void joinTarballs(BuilderOutputs outputs, List<PlatformGroup> groups, Path scratch) throws BuildStepException {
    if (outputs.tar().isEmpty()) {
      return;
    }
    List<TarJoin.Part> parts = new ArrayList<>();
    for (PlatformGroup group : groups) {
      parts.add(new TarJoin.Part(BuilderOutputs.scratchTarball(group, scratch), BuilderOutputs.tarFolder(group)));
    }

    OutputSpec tar = outputs.tar().get();
    try {
      if (tar.writesStdout()) {
        TarJoin.write(parts, stdout);
        stdout.flush();
      } else {
        Path destination = Path.of(tar.destination().orElseThrow());
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(destination))) {
          TarJoin.write(parts, file);
        }
      }
    } catch (IOException e) {
      throw BuildStepException.of("failed to write the tar export " + tar.destination().orElse("") + ": " + e.getMessage(), e);
    }
  }

  /** Joins the builders' results, which are in the order of the groups. */
  private BuildResult join(BuilderOutputs outputs, List<BuildResult> results)
      throws BuildStepException, InterruptedException {
    if (outputs.pushNames().isEmpty()) {
      // NOTE: without a push there is no joined image, so the result carries no image id and
      // --metadata-file gets only the Depot build's ids.
      return new BuildResult(Map.of(), "");
    }

    List<String> digests = new ArrayList<>();
    for (BuildResult result : results) {
      String digest = result.exporterResponse().getOrDefault("containerimage.digest", "");
      if (digest.isEmpty()) {
        throw BuildStepException.of("a builder pushed no image digest, so the image index cannot be made;"
            + " check that the builder's BuildKit supports push-by-digest", null);
      }
      digests.add(digest);
    }

    List<ImageName> targets = new ArrayList<>();
    for (String name : outputs.pushNames()) {
      targets.add(ImageName.parse(name));
    }
    PushedIndex index;
    try {
      index = IndexPush.create(indexCredentials())
          .push(targets, digests, outputs.indexAnnotations());
    } catch (RegistryException e) {
      throw BuildStepException.of("failed to push the image index: " + e.getMessage(), e);
    }
    listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO,
        "pushed image index " + index.digest() + " (" + String.join(", ", index.platforms()) + ") to "
            + String.join(", ", outputs.pushNames())));
    return new BuildResult(Map.of("containerimage.digest", index.digest()), index.digest());
  }

  /** Returns the user's registry credentials with the explicit ones in front, for the index push. */
  private Credentials indexCredentials() {
    Credentials credentials = Credentials.fromEnvironment(environment);
    for (var entry : registryCredentials.entrySet()) {
      RegistryCredentials explicit = entry.getValue();
      if (!explicit.username().isEmpty() && !explicit.password().isEmpty()) {
        credentials = credentials.with(entry.getKey(), new RegistryCredential(explicit.username(), explicit.password()));
      }
    }
    return credentials;
  }

  /** Writes {@code --metadata-file} and {@code --iidfile} as buildx writes them after a build on several nodes. */
  private static void writeResultFiles(BuildOptions options, BuildResult result) throws BuildStepException {
    try {
      if (options.metadataFile().isPresent()) {
        BuildMetadata.write(options.metadataFile().get(), BuildMetadata.fromExporterResponse(result.exporterResponse()));
      }
      if (options.imageIdFile().isPresent() && !result.imageId().isEmpty()) {
        BuildMetadata.writeImageId(options.imageIdFile().get(), result.imageId());
      }
    } catch (IOException e) {
      throw BuildStepException.of("failed to write the build's result files: " + e.getMessage(), e);
    }
  }
}
