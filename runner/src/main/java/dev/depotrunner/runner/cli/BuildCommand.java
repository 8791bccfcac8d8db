package dev.depotrunner.runner.cli;

import dev.depotrunner.runner.ci.CiEnvironment;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.InvalidBuildOptionsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code depot build [OPTIONS] PATH | URL | -}: the flags of the Depot CLI's build command, which are
 * docker buildx's with Depot's own added. Values are collected as written and validated by
 * {@link BuildOptions}; the build itself runs in a {@link BuildExecutor}.
 */
@Command(
    name = "build",
    aliases = "b",
    description = "Build an image from a Dockerfile on a BuildKit builder.",
    customSynopsis = "depot build [OPTIONS] PATH | URL | -",
    sortOptions = true)
final class BuildCommand implements Callable<Integer> {

  @ParentCommand private DepotCommand parent;

  private final BuildExecutor executor;
  private final Invocation invocation;

  BuildCommand(BuildExecutor executor, Invocation invocation) {
    this.executor = executor;
    this.invocation = invocation;
  }

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(
      index = "0",
      arity = "1",
      paramLabel = "PATH | URL | -",
      description = "Build context: a folder, a Git or HTTP(S) URL, or - to read a tar archive of the context or a Dockerfile from stdin.")
  String context;

  // --- docker buildx flags --------------------------------------------------------------------------

  @Option(names = "--add-host", paramLabel = "HOST:IP", description = "Add a host-to-IP mapping to /etc/hosts of RUN steps (HOST:IP or HOST=IP; comma lists allowed).")
  List<String> addHosts = new ArrayList<>();

  @Option(names = "--allow", paramLabel = "ENTITLEMENT", description = "Allow an extra privilege: network.host, security.insecure or device[=NAME].")
  List<String> allow = new ArrayList<>();

  @Option(names = "--annotation", paramLabel = "[TYPE:]KEY=VALUE", description = "Add an OCI annotation to the image.")
  List<String> annotations = new ArrayList<>();

  @Option(names = "--attest", paramLabel = "type=TYPE[,KEY=VALUE...]", description = "Add an attestation, such as type=sbom or type=provenance,mode=max.")
  List<String> attests = new ArrayList<>();

  @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "Set a build argument; a bare KEY takes its value from the environment.")
  List<String> buildArgs = new ArrayList<>();

  @Option(names = "--build-context", paramLabel = "NAME=VALUE", description = "Add a named context: a folder, docker-image://REF, target:STAGE, oci-layout://PATH or a URL.")
  List<String> buildContexts = new ArrayList<>();

  @Option(names = "--cache-from", paramLabel = "SOURCE", description = "Import cache, such as user/app:cache or type=local,src=DIR.")
  List<String> cacheFrom = new ArrayList<>();

  @Option(names = "--cache-to", paramLabel = "DESTINATION", description = "Export cache, such as type=registry,ref=user/app:cache,mode=max or type=inline.")
  List<String> cacheTo = new ArrayList<>();

  @Option(names = "--cgroup-parent", paramLabel = "CGROUP", description = "Set the parent cgroup of RUN steps.")
  String cgroupParent;

  @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Dockerfile to build (default: PATH/Dockerfile); - reads it from stdin.")
  String file;

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image ID to FILE.")
  String imageIdFile;

  @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set an image label.")
  List<String> labels = new ArrayList<>();

  @Option(names = "--load", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Load the image into Docker (short for --output=type=docker).")
  boolean load;

  @Option(names = "--metadata-file", paramLabel = "FILE", description = "Write the build result metadata to FILE as JSON.")
  String metadataFile;

  @Option(names = "--network", paramLabel = "MODE", description = "Network of RUN steps: default, none or host (default: default).")
  String network;

  @Option(names = "--no-cache", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Build every step again, without cache.")
  boolean noCache;

  @Option(names = "--no-cache-filter", paramLabel = "STAGE", description = "Build STAGE without cache.")
  List<String> noCacheFilter = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "type=TYPE[,KEY=VALUE...]", description = "Output destination, such as type=local,dest=DIR or type=registry; PATH is type=local,dest=PATH and - is a tarball on stdout.")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Target platform; repeat or use a comma list for several (default: $DOCKER_DEFAULT_PLATFORM).")
  List<String> platforms = new ArrayList<>();

  @Option(names = "--progress", paramLabel = "MODE", description = "Progress output: auto, plain, tty, quiet or rawjson (default: $BUILDKIT_PROGRESS or auto).")
  String progress;

  @Option(names = "--provenance", paramLabel = "VALUE", description = "Provenance attestation: true, false, or attributes such as mode=max.")
  String provenance;

  @Option(names = "--pull", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Always look up base images in their registries.")
  boolean pull;

  @Option(names = "--push", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Push the image (short for --output=type=registry).")
  boolean push;

  @Option(names = {"-q", "--quiet"}, description = "Show no progress; print the image ID when done.")
  boolean quiet;

  @Option(names = "--sbom", paramLabel = "VALUE", description = "SBOM attestation: true, false, or attributes such as generator=IMAGE.")
  String sbom;

  @Option(names = "--secret", paramLabel = "id=ID[,src=PATH|env=VAR]", description = "Expose a secret to the build.")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--shm-size", paramLabel = "SIZE", description = "Size of /dev/shm in RUN steps, in bytes or with a unit such as 64m.")
  String shmSize;

  @Option(names = "--ssh", paramLabel = "default|ID[=SOCKET|KEY[,KEY]]", description = "Expose an SSH agent or keys to the build.")
  List<String> ssh = new ArrayList<>();

  @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the image, such as registry.example.com/app:1.")
  List<String> tags = new ArrayList<>();

  @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage of the Dockerfile.")
  String target;

  @Option(names = "--ulimit", paramLabel = "NAME=SOFT[:HARD]", description = "Set a resource limit of RUN steps, such as nofile=1024:2048.")
  List<String> ulimits = new ArrayList<>();

  // --- Depot flags ----------------------------------------------------------------------------------

  @Option(names = "--project", paramLabel = "ID", description = "Depot project ID (default: $DEPOT_PROJECT_ID).")
  String project;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN).")
  String token;

  @Option(names = "--save", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Save the image in the Depot registry.")
  boolean save;

  @Option(names = "--save-tag", paramLabel = "TAG", description = "Add a tag to the image saved with --save.")
  List<String> saveTags = new ArrayList<>();

  @Option(names = "--build-platform", paramLabel = "PLATFORM", description = "Platform of the build machine: dynamic, linux/amd64 or linux/arm64 (default: $DEPOT_BUILD_PLATFORM or dynamic).")
  String buildPlatform;

  @Option(names = "--lint", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Lint the Dockerfile.")
  boolean lint;

  @Option(names = "--lint-fail-on", paramLabel = "SEVERITY", description = "Lowest lint severity that fails the build: error, warn, info or none (default: error).")
  String lintFailOn;

  @Option(names = "--sbom-dir", paramLabel = "DIR", description = "Save SBOM attestations in DIR.")
  String sbomDirectory;

  @Option(names = "--ci-labels", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = "Label the image with the CI's repository and commit (org.opencontainers.image.source, .url and .revision); --label overrides them.")
  boolean ciLabels;

  @Option(names = "--suppress-no-output-warning", arity = "0..1", fallbackValue = "true", hidden = true)
  Boolean suppressNoOutputWarning;

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

  // --- legacy docker build flags that BuildKit ignores ------------------------------------------------

  @Option(names = "--compress", arity = "0..1", fallbackValue = "true", hidden = true)
  boolean ignoredCompress;

  @Option(names = "--isolation", hidden = true)
  String ignoredIsolation;

  @Option(names = "--security-opt", hidden = true)
  List<String> ignoredSecurityOptions = new ArrayList<>();

  @Option(names = "--squash", arity = "0..1", fallbackValue = "true", hidden = true)
  boolean ignoredSquash;

  @Option(names = {"-m", "--memory"}, hidden = true)
  String ignoredMemory;

  @Option(names = "--memory-swap", hidden = true)
  String ignoredMemorySwap;

  @Option(names = {"-c", "--cpu-shares"}, hidden = true)
  Long ignoredCpuShares;

  @Option(names = "--cpu-period", hidden = true)
  Long ignoredCpuPeriod;

  @Option(names = "--cpu-quota", hidden = true)
  Long ignoredCpuQuota;

  @Option(names = "--cpuset-cpus", hidden = true)
  String ignoredCpusetCpus;

  @Option(names = "--cpuset-mems", hidden = true)
  String ignoredCpusetMems;

  @Option(names = "--rm", arity = "0..1", fallbackValue = "true", hidden = true)
  boolean ignoredRemove = true;

  @Option(names = "--force-rm", arity = "0..1", fallbackValue = "true", hidden = true)
  boolean ignoredForceRemove;

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

    BuildOptions options;
    try {
      options = toOptions(run, ci).build();
    } catch (InvalidBuildOptionsException e) {
      for (String problem : e.problems()) {
        run.err().println("error: " + problem);
      }
      // Each problem names its flag and value already; the usage hint is for unknown flags and syntax.
      return DepotCommand.EXIT_USAGE;
    }

    try (options) {
      for (String warning : options.warnings()) {
        run.err().println("WARNING: " + warning);
      }
      return executor.execute(options, run);
    }
  }

  /** Hands the flags to the options builder, filling unset ones from the environment as Depot and buildx do. */
  BuildOptions.Builder toOptions(Invocation run, CiEnvironment ci) {
    Map<String, String> environment = run.environment();
    List<String> effectivePlatforms = platforms;
    if (effectivePlatforms.isEmpty() && !environment.getOrDefault("DOCKER_DEFAULT_PLATFORM", "").isEmpty()) {
      effectivePlatforms = List.of(environment.get("DOCKER_DEFAULT_PLATFORM"));
    }
    boolean suppressWarning = suppressNoOutputWarning != null
        ? suppressNoOutputWarning
        : !environment.getOrDefault("DEPOT_SUPPRESS_NO_OUTPUT_WARNING", "").isEmpty();

    var builder = BuildOptions.builder()
        .context(context)
        .file(file)
        .tags(tags)
        .buildArgs(buildArgs)
        .labels(ciLabels ? withCiLabels(ci, labels) : labels)
        .platforms(effectivePlatforms)
        .target(target)
        .noCache(noCache)
        .noCacheFilter(noCacheFilter)
        .pull(pull)
        .outputs(outputs)
        .push(push)
        .load(load)
        .cacheFrom(cacheFrom)
        .cacheTo(cacheTo)
        .buildContexts(buildContexts)
        .attests(attests)
        .provenance(provenance)
        .sbom(sbom)
        .annotations(annotations)
        .addHosts(addHosts)
        .network(network)
        .shmSize(shmSize)
        .ulimits(ulimits)
        .cgroupParent(cgroupParent)
        .allow(allow)
        .secrets(secrets)
        .ssh(ssh)
        .imageIdFile(imageIdFile)
        .metadataFile(metadataFile)
        .progress(orEnvironment(progress, environment, "BUILDKIT_PROGRESS"))
        .quiet(quiet)
        .project(orEnvironmentIfEmpty(project, environment, "DEPOT_PROJECT_ID"))
        .token(orEnvironmentIfEmpty(token, environment, "DEPOT_TOKEN"))
        .save(save)
        .saveTags(saveTags)
        .buildPlatform(orEnvironment(buildPlatform, environment, "DEPOT_BUILD_PLATFORM"))
        .lint(lint)
        .lintFailOn(lintFailOn)
        .sbomDirectory(sbomDirectory)
        .suppressNoOutputWarning(suppressWarning)
        .builderAddress(orEnvironment(builderAddress, environment, "BUILDKIT_HOST"))
        .tlsCaCertificate(tlsCaCertificate)
        .tlsCertificate(tlsCertificate)
        .tlsKey(tlsKey)
        .tlsDirectory(tlsDirectory)
        .tlsServerName(tlsServerName)
        .environment(environment)
        .workingDirectory(run.workingDirectory())
        .stdin(run::stdin)
        .stdoutIsTerminal(run.stdoutIsTerminal());
    addLegacyFlagWarnings(builder);
    return builder;
  }

  /** Puts the CI's source labels before the {@code --label} values, so that a later {@code --label} wins. */
  private static List<String> withCiLabels(CiEnvironment ci, List<String> labels) {
    List<String> all = new ArrayList<>();
    ci.labels().forEach((key, value) -> all.add(key + "=" + value));
    all.addAll(labels);
    return all;
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

  /** Warns about legacy flags that docker build accepted and BuildKit ignores, as buildx does. */
  private void addLegacyFlagWarnings(BuildOptions.Builder builder) {
    if (ignoredIsolation != null) {
      builder.warning("--isolation is ignored: BuildKit has no isolation setting");
    }
    if (!ignoredSecurityOptions.isEmpty()) {
      builder.warning("--security-opt is ignored: use RUN --security=insecure with --allow security.insecure instead");
    }
    if (ignoredSquash) {
      builder.warning("--squash is ignored: BuildKit does not squash layers; squash in a multi-stage Dockerfile instead");
    }
  }
}
