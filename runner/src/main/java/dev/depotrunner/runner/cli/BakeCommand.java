package dev.depotrunner.runner.cli;

import dev.depotrunner.runner.ci.CiEnvironment;
import dev.depotrunner.steps.bake.BakeDefinition;
import dev.depotrunner.steps.bake.BakeDefinitions;
import dev.depotrunner.steps.bake.BakeFileException;
import dev.depotrunner.steps.bake.BakeRequest;
import dev.depotrunner.steps.build.options.BuildOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code depot bake [OPTIONS] [TARGET...]}: the flags of the Depot CLI's bake command. The bake files are
 * resolved here, {@code --print} writes the result, and the builds run in a {@link BakeExecutor}.
 */
@Command(
    name = "bake",
    description = "Build the targets of a bake or Compose file on a BuildKit builder.",
    customSynopsis = "depot bake [OPTIONS] [TARGET...]",
    sortOptions = true)
final class BakeCommand implements Callable<Integer> {

  @ParentCommand private DepotCommand parent;

  private final BakeExecutor executor;
  private final Invocation invocation;

  BakeCommand(BakeExecutor executor, Invocation invocation) {
    this.executor = executor;
    this.invocation = invocation;
  }

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(arity = "0..*", paramLabel = "TARGET", description = "Targets or groups to build (default: the group default).")
  List<String> targets = new ArrayList<>();

  @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Bake definition file: HCL, JSON or Compose; repeat for several, - reads stdin (default: compose.yaml, docker-bake.hcl and the other default names).")
  List<String> files = new ArrayList<>();

  @Option(names = "--set", paramLabel = "TARGET.KEY=VALUE", description = "Override a target value, such as *.platform=linux/arm64, app.args.VERSION=1 or app.tags+=app:2.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--print", description = "Print the resolved targets as JSON and exit without building.")
  boolean print;

  @Option(names = "--load", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Load the images into Docker (short for --set=*.output=type=docker).")
  boolean load;

  @Option(names = "--push", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Push the images (short for --set=*.output=type=registry).")
  boolean push;

  @Option(names = "--no-cache", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Build every step again, without cache.")
  Boolean noCache;

  @Option(names = "--pull", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Always look up base images in their registries.")
  Boolean pull;

  @Option(names = "--provenance", paramLabel = "VALUE", description = "Short for --set=*.attest=type=provenance: true, false, or attributes such as mode=max.")
  String provenance;

  @Option(names = "--sbom", paramLabel = "VALUE", description = "Short for --set=*.attest=type=sbom: true, false, or attributes such as generator=IMAGE.")
  String sbom;

  @Option(names = "--metadata-file", paramLabel = "FILE", description = "Write the build result metadata of every target to FILE as JSON.")
  String metadataFile;

  @Option(names = "--progress", paramLabel = "MODE", description = "Progress output: auto, plain, tty, quiet or rawjson (default: $BUILDKIT_PROGRESS or auto).")
  String progress;

  @Option(names = "--ci-labels", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Label every image with the CI's repository and commit (org.opencontainers.image.source, .url and .revision); a target's own labels override them.")
  boolean ciLabels;

  // --- Depot flags ----------------------------------------------------------------------------------

  @Option(names = "--project", paramLabel = "ID", description = "Depot project ID for targets without x-depot.project-id (default: $DEPOT_PROJECT_ID).")
  String project;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN).")
  String token;

  @Option(names = "--save", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Save the images in the Depot registry.")
  boolean save;

  @Option(names = "--save-tag", paramLabel = "TAG", description = "Add a tag to the images saved with --save.")
  List<String> saveTags = new ArrayList<>();

  @Option(names = "--build-platform", paramLabel = "PLATFORM", description = "Platform of the build machine: dynamic, linux/amd64 or linux/arm64 (default: $DEPOT_BUILD_PLATFORM or dynamic).")
  String buildPlatform;

  @Option(names = "--lint", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Lint the Dockerfiles of the targets.")
  boolean lint;

  @Option(names = "--lint-fail-on", paramLabel = "SEVERITY", description = "Lowest lint severity that fails the build: error, warn, info or none (default: error).")
  String lintFailOn;

  // --- builder connection ---------------------------------------------------------------------------

  @Option(names = "--builder", paramLabel = "ADDRESS", description = "BuildKit address, such as unix:///run/buildkit/buildkitd.sock or tcp://HOST:PORT (default: $BUILDKIT_HOST).")
  String builderAddress;

  @Option(names = "--tlscacert", paramLabel = "FILE", description = "CA certificate that signs the builder's certificate.")
  String tlsCaCertificate;

  @Option(names = "--tlscert", paramLabel = "FILE", description = "Client certificate for the builder.")
  String tlsCertificate;

  @Option(names = "--tlskey", paramLabel = "FILE", description = "Client key for the builder.")
  String tlsKey;

  @Option(names = "--tlsdir", paramLabel = "DIR", description = "Folder with ca.pem, cert.pem and key.pem (or ca.crt, tls.crt and tls.key).")
  String tlsDirectory;

  @Option(names = "--tlsservername", paramLabel = "NAME", description = "Name the builder's certificate must carry (default: the host of --builder).")
  String tlsServerName;

  @Override
  public Integer call() throws Exception {
    Invocation run = invocation.withDebug(parent != null && parent.debug());
    if (parent != null && parent.ci() != null) {
      run = run.withVariable(CiEnvironment.OVERRIDE_VARIABLE, parent.ci());
    }
    CiEnvironment ci;
    try {
      ci = CiEnvironment.detect(run.environment());
    } catch (IllegalArgumentException e) {
      run.err().println("error: " + e.getMessage());
      return DepotCommand.EXIT_USAGE;
    }

    BakeDefinition definition;
    try {
      definition = BakeDefinitions.resolve(request(run));
    } catch (BakeFileException e) {
      run.err().println("ERROR: " + e.getMessage());
      if (run.debug()) {
        e.printStackTrace(run.err());
      }
      return 1;
    }
    if (ciLabels) {
      definition = definition.withDefaultLabels(ci.labels());
    }

    if (print) {
      run.out().print(definition.toJson());
      run.out().flush();
      return 0;
    }
    return executor.execute(definition, settings(run), run);
  }

  BakeRequest request(Invocation run) {
    return new BakeRequest(files, targets, overrides, push, load, noCache, pull, provenance, sbom,
        run.environment(), run.workingDirectory(), run::stdin);
  }

  private BakeSettings settings(Invocation run) {
    Optional<Path> metadata = Optional.ofNullable(metadataFile).filter(file -> !file.isEmpty())
        .map(file -> run.workingDirectory().resolve(file).normalize());
    Optional<String> defaultProject = Optional.ofNullable(orEnvironmentIfEmpty(project, run.environment(), "DEPOT_PROJECT_ID"))
        .filter(id -> !id.isBlank());
    return new BakeSettings(() -> targetDefaults(run), metadata, defaultProject);
  }

  /** Returns a builder with the flags that every target shares, unset ones filled from the environment. */
  private BuildOptions.Builder targetDefaults(Invocation run) {
    Map<String, String> environment = run.environment();
    return BuildOptions.builder()
        .progress(orEnvironment(progress, environment, "BUILDKIT_PROGRESS"))
        .project(orEnvironmentIfEmpty(project, environment, "DEPOT_PROJECT_ID"))
        .token(orEnvironmentIfEmpty(token, environment, "DEPOT_TOKEN"))
        .save(save)
        .saveTags(saveTags)
        .buildPlatform(orEnvironment(buildPlatform, environment, "DEPOT_BUILD_PLATFORM"))
        .lint(lint)
        .lintFailOn(lintFailOn)
        .builderAddress(orEnvironment(builderAddress, environment, "BUILDKIT_HOST"))
        .tlsCaCertificate(tlsCaCertificate)
        .tlsCertificate(tlsCertificate)
        .tlsKey(tlsKey)
        .tlsDirectory(tlsDirectory)
        .tlsServerName(tlsServerName)
        .suppressNoOutputWarning(!environment.getOrDefault("DEPOT_SUPPRESS_NO_OUTPUT_WARNING", "").isEmpty())
        .environment(environment)
        .workingDirectory(run.workingDirectory())
        .stdin(run::stdin)
        .stdoutIsTerminal(run.stdoutIsTerminal());
  }

  /**
   * Returns the flag's value, or the variable's when the flag is unset or empty, as the Depot CLI
   * resolves {@code --project} and {@code --token} (pkg/helpers/project.go and token.go).
   */
  private static String orEnvironmentIfEmpty(String value, Map<String, String> environment, String variable) {
    return orEnvironment(value == null || value.isEmpty() ? null : value, environment, variable);
  }

  private static String orEnvironment(String value, Map<String, String> environment, String variable) {
    if (value != null) {
      return value;
    }
    String fromEnvironment = environment.get(variable);
    return fromEnvironment == null || fromEnvironment.isEmpty() ? null : fromEnvironment;
  }
}
