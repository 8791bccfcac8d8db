package dev.depotrunner.steps.build.options;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The validated options of one {@code depot build}: every flag parsed into a value type, paths made
 * absolute, and the context and Dockerfile resolved. Built with {@link #builder()}, which reports every
 * problem at once.
 *
 * <p>When the Dockerfile or the context came on stdin, the options own temporary folders holding it;
 * {@link #close()} deletes them, so use the options in a try-with-resources block.
 */
public final class BuildOptions implements AutoCloseable {

  private final ContextSource context;
  private final DockerfileSource dockerfile;
  private final List<ImageReference> tags;
  private final Map<String, String> buildArgs;
  private final Map<String, String> labels;
  private final List<Platform> platforms;
  private final Optional<String> target;
  private final boolean noCache;
  private final List<String> noCacheFilter;
  private final boolean pull;
  private final List<OutputSpec> outputs;
  private final boolean push;
  private final boolean load;
  private final List<CacheSpec> cacheFrom;
  private final List<CacheSpec> cacheTo;
  private final List<BuildContextSpec> buildContexts;
  private final List<AttestSpec> attests;
  private final List<Annotation> annotations;
  private final List<HostEntry> extraHosts;
  private final NetworkMode network;
  private final Optional<MemorySize> shmSize;
  private final List<Ulimit> ulimits;
  private final Optional<String> cgroupParent;
  private final List<Entitlement> allow;
  private final List<String> secrets;
  private final List<String> ssh;
  private final Optional<Path> imageIdFile;
  private final Optional<Path> metadataFile;
  private final ProgressMode progress;
  private final boolean quiet;
  private final boolean defaultAttestations;
  private final boolean defaultLoad;
  private final Optional<String> project;
  private final Optional<DepotToken> token;
  private final boolean save;
  private final List<String> saveTags;
  private final BuildPlatform buildPlatform;
  private final boolean lint;
  private final LintFailOn lintFailOn;
  private final Optional<Path> sbomDirectory;
  private final BuilderEndpoint builderEndpoint;
  private final List<String> warnings;
  private final List<Path> temporaryDirectories;

  private BuildOptions(BuildOptionsBuilder.Result result) {
    this.context = result.context;
    this.dockerfile = result.dockerfile;
    this.tags = List.copyOf(result.tags);
    this.buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(result.buildArgs));
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(result.labels));
    this.platforms = List.copyOf(result.platforms);
    this.target = result.target;
    this.noCache = result.noCache;
    this.noCacheFilter = List.copyOf(result.noCacheFilter);
    this.pull = result.pull;
    this.outputs = List.copyOf(result.outputs);
    this.push = result.push;
    this.load = result.load;
    this.cacheFrom = List.copyOf(result.cacheFrom);
    this.cacheTo = List.copyOf(result.cacheTo);
    this.buildContexts = List.copyOf(result.buildContexts);
    this.attests = List.copyOf(result.attests);
    this.annotations = List.copyOf(result.annotations);
    this.extraHosts = List.copyOf(result.extraHosts);
    this.network = result.network;
    this.shmSize = result.shmSize;
    this.ulimits = List.copyOf(result.ulimits);
    this.cgroupParent = result.cgroupParent;
    this.allow = List.copyOf(result.allow);
    this.secrets = List.copyOf(result.secrets);
    this.ssh = List.copyOf(result.ssh);
    this.imageIdFile = result.imageIdFile;
    this.metadataFile = result.metadataFile;
    this.progress = result.progress;
    this.quiet = result.quiet;
    this.defaultAttestations = result.defaultAttestations;
    this.defaultLoad = result.defaultLoad;
    this.project = result.project;
    this.token = result.token;
    this.save = result.save;
    this.saveTags = List.copyOf(result.saveTags);
    this.buildPlatform = result.buildPlatform;
    this.lint = result.lint;
    this.lintFailOn = result.lintFailOn;
    this.sbomDirectory = result.sbomDirectory;
    this.builderEndpoint = result.builderEndpoint;
    this.warnings = List.copyOf(result.warnings);
    this.temporaryDirectories = List.copyOf(result.temporaryDirectories);
  }

  /** Copies {@code source} with other tags and outputs; the copy owns no temporary folders. */
  private BuildOptions(BuildOptions source, List<ImageReference> tags, List<OutputSpec> outputs) {
    this.context = source.context;
    this.dockerfile = source.dockerfile;
    this.tags = List.copyOf(tags);
    this.buildArgs = source.buildArgs;
    this.labels = source.labels;
    this.platforms = source.platforms;
    this.target = source.target;
    this.noCache = source.noCache;
    this.noCacheFilter = source.noCacheFilter;
    this.pull = source.pull;
    this.outputs = List.copyOf(outputs);
    this.push = source.push;
    this.load = source.load;
    this.cacheFrom = source.cacheFrom;
    this.cacheTo = source.cacheTo;
    this.buildContexts = source.buildContexts;
    this.attests = source.attests;
    this.annotations = source.annotations;
    this.extraHosts = source.extraHosts;
    this.network = source.network;
    this.shmSize = source.shmSize;
    this.ulimits = source.ulimits;
    this.cgroupParent = source.cgroupParent;
    this.allow = source.allow;
    this.secrets = source.secrets;
    this.ssh = source.ssh;
    this.imageIdFile = source.imageIdFile;
    this.metadataFile = source.metadataFile;
    this.progress = source.progress;
    this.quiet = source.quiet;
    this.defaultAttestations = source.defaultAttestations;
    this.defaultLoad = source.defaultLoad;
    this.project = source.project;
    this.token = source.token;
    this.save = source.save;
    this.saveTags = source.saveTags;
    this.buildPlatform = source.buildPlatform;
    this.lint = source.lint;
    this.lintFailOn = source.lintFailOn;
    this.sbomDirectory = source.sbomDirectory;
    this.builderEndpoint = source.builderEndpoint;
    this.warnings = source.warnings;
    this.temporaryDirectories = List.of();
  }

  /** Starts collecting raw flag values. */
  public static Builder builder() {
    return new Builder();
  }

  /** The main build context: a local folder or a remote URL. */
  public ContextSource context() {
    return context;
  }

  /** The Dockerfile: a local file (possibly a temporary copy of stdin) or a path inside a remote context. */
  public DockerfileSource dockerfile() {
    return dockerfile;
  }

  /** {@code -t/--tag}, in order. */
  public List<ImageReference> tags() {
    return tags;
  }

  /** {@code --build-arg}, in order; bare {@code KEY} took its value from the environment. */
  public Map<String, String> buildArgs() {
    return buildArgs;
  }

  /** {@code --label}, in order. */
  public Map<String, String> labels() {
    return labels;
  }

  /** {@code --platform}, in order; empty for the builder's own platform. */
  public List<Platform> platforms() {
    return platforms;
  }

  /** {@code --target}: the stage to build. */
  public Optional<String> target() {
    return target;
  }

  /** {@code --no-cache}: build every step again. */
  public boolean noCache() {
    return noCache;
  }

  /** {@code --no-cache-filter}: the stages to build without cache. */
  public List<String> noCacheFilter() {
    return noCacheFilter;
  }

  /** {@code --pull}: always look up base images in their registries. */
  public boolean pull() {
    return pull;
  }

  /** {@code -o/--output}, with local destinations made absolute. */
  public List<OutputSpec> outputs() {
    return outputs;
  }

  /** {@code --push}: push the image to the registries of its tags. */
  public boolean push() {
    return push;
  }

  /** {@code --load}: load the image into the Docker Engine. */
  public boolean load() {
    return load;
  }

  /** {@code --cache-from}, in order, without GitHub Actions entries that lack credentials. */
  public List<CacheSpec> cacheFrom() {
    return cacheFrom;
  }

  /** {@code --cache-to}, in order, without GitHub Actions entries that lack credentials. */
  public List<CacheSpec> cacheTo() {
    return cacheTo;
  }

  /** {@code --build-context}; a later context of the same name replaces an earlier one. */
  public List<BuildContextSpec> buildContexts() {
    return buildContexts;
  }

  /** {@code --attest}, {@code --provenance} and {@code --sbom}, at most one per type. */
  public List<AttestSpec> attests() {
    return attests;
  }

  /** {@code --annotation}. */
  public List<Annotation> annotations() {
    return annotations;
  }

  /** {@code --add-host}. */
  public List<HostEntry> extraHosts() {
    return extraHosts;
  }

  /** {@code --network}. */
  public NetworkMode network() {
    return network;
  }

  /** {@code --shm-size}. */
  public Optional<MemorySize> shmSize() {
    return shmSize;
  }

  /** {@code --ulimit}, one per name (the last one given wins), sorted by name. */
  public List<Ulimit> ulimits() {
    return ulimits;
  }

  /** {@code --cgroup-parent}. */
  public Optional<String> cgroupParent() {
    return cgroupParent;
  }

  /** {@code --allow}. */
  public List<Entitlement> allow() {
    return allow;
  }

  /** {@code --secret} values as written, for the secrets service to parse. */
  public List<String> secrets() {
    return secrets;
  }

  /** {@code --ssh} values as written, for the SSH agent service to parse. */
  public List<String> ssh() {
    return ssh;
  }

  /** {@code --iidfile}, absolute. */
  public Optional<Path> imageIdFile() {
    return imageIdFile;
  }

  /** {@code --metadata-file}, absolute. */
  public Optional<Path> metadataFile() {
    return metadataFile;
  }

  /** {@code --progress}; {@link ProgressMode#QUIET} when {@link #quiet()} is set. */
  public ProgressMode progress() {
    return progress;
  }

  /** {@code -q/--quiet}: no progress, print the image ID at the end. */
  public boolean quiet() {
    return quiet;
  }

  /**
   * Whether the build gets a minimal provenance attestation when none is requested, as buildx adds unless
   * {@code BUILDX_NO_DEFAULT_ATTESTATIONS} is true.
   */
  public boolean defaultAttestations() {
    return defaultAttestations;
  }

  /**
   * Whether a build without outputs keeps its image in a Docker Engine builder's image store, as buildx
   * does unless {@code BUILDX_NO_DEFAULT_LOAD} is true or the no-output warning is suppressed.
   */
  public boolean defaultLoad() {
    return defaultLoad;
  }

  /** {@code --project}, or {@code DEPOT_PROJECT_ID}. */
  public Optional<String> project() {
    return project;
  }

  /** {@code --token}, or {@code DEPOT_TOKEN}. */
  public Optional<DepotToken> token() {
    return token;
  }

  /** {@code --save}: save the image in Depot's registry. */
  public boolean save() {
    return save;
  }

  /** {@code --save-tag}: extra tags for the saved image. */
  public List<String> saveTags() {
    return saveTags;
  }

  /** {@code --build-platform}, or {@code DEPOT_BUILD_PLATFORM}. */
  public BuildPlatform buildPlatform() {
    return buildPlatform;
  }

  /** {@code --lint}: lint the Dockerfile. */
  public boolean lint() {
    return lint;
  }

  /** {@code --lint-fail-on}. */
  public LintFailOn lintFailOn() {
    return lintFailOn;
  }

  /** {@code --sbom-dir}: where to save SBOM attestations, absolute. */
  public Optional<Path> sbomDirectory() {
    return sbomDirectory;
  }

  /** {@code --builder} (or {@code BUILDKIT_HOST}) and its TLS files. */
  public BuilderEndpoint builderEndpoint() {
    return builderEndpoint;
  }

  /** Things the user should know that did not stop the build, one line each. */
  public List<String> warnings() {
    return warnings;
  }

  /**
   * Returns a copy with {@code tags} and {@code outputs} in place of these, such as a Depot build
   * with its save export added. The copy shares the stdin folders but does not delete them, so close
   * this instance, not the copy.
   */
  public BuildOptions withTagsAndOutputs(List<ImageReference> tags, List<OutputSpec> outputs) {
    return new BuildOptions(this, tags, outputs);
  }

  /**
   * Returns a copy for one builder of a build that runs on several builders: it builds {@code platforms}
   * into {@code outputs} and has no tags, {@code --push}, {@code --load}, {@code --iidfile} or
   * {@code --metadata-file}, because the caller joins the builders' results and writes those itself.
   * The copy owns no temporary folders, so closing it deletes nothing.
   */
  public BuildOptions forBuilder(List<Platform> platforms, List<OutputSpec> outputs) {
    var copy = new BuildOptionsBuilder.Result();
    copy.context = context;
    copy.dockerfile = dockerfile;
    copy.buildArgs = buildArgs;
    copy.labels = labels;
    copy.target = target;
    copy.noCache = noCache;
    copy.noCacheFilter = noCacheFilter;
    copy.pull = pull;
    copy.cacheFrom = cacheFrom;
    copy.cacheTo = cacheTo;
    copy.buildContexts = buildContexts;
    copy.attests = attests;
    copy.annotations = annotations;
    copy.extraHosts = extraHosts;
    copy.network = network;
    copy.shmSize = shmSize;
    copy.ulimits = ulimits;
    copy.cgroupParent = cgroupParent;
    copy.allow = allow;
    copy.secrets = secrets;
    copy.ssh = ssh;
    copy.progress = progress;
    copy.quiet = quiet;
    copy.defaultAttestations = defaultAttestations;
    copy.defaultLoad = defaultLoad;
    copy.project = project;
    copy.token = token;
    copy.save = save;
    copy.saveTags = saveTags;
    copy.buildPlatform = buildPlatform;
    copy.lint = lint;
    copy.lintFailOn = lintFailOn;
    copy.sbomDirectory = sbomDirectory;
    copy.builderEndpoint = builderEndpoint;
    copy.warnings = warnings;

    copy.platforms = new ArrayList<>(platforms);
    copy.outputs = new ArrayList<>(outputs);
    copy.tags = new ArrayList<>();
    copy.push = false;
    copy.load = false;
    copy.imageIdFile = Optional.empty();
    copy.metadataFile = Optional.empty();
    return new BuildOptions(copy);
  }

  /** Deletes the temporary folders that hold what was read from stdin. */
  @Override
  public void close() {
    for (Path directory : temporaryDirectories) {
      deleteRecursively(directory);
    }
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // NOTE: a temporary folder that cannot be deleted is left for the OS to clean up.
    }
  }

  /**
   * Collects raw flag values as the command line gave them; {@link #build()} validates them all.
   *
   * <p>Unset values take the defaults of {@code depot build}. The environment, working folder, stdin and
   * whether stdout is a terminal default to this process's, and tests replace them.
   */
  public static final class Builder {
    final BuildOptionsBuilder state = new BuildOptionsBuilder();

    private Builder() {}

    /** The {@code PATH | URL | -} argument. */
    public Builder context(String value) {
      state.contextArgument = value;
      return this;
    }

    /** {@code -f/--file}; null or empty for {@code PATH/Dockerfile}. */
    public Builder file(String value) {
      state.fileArgument = value;
      return this;
    }

    public Builder tags(List<String> values) {
      state.tags = List.copyOf(values);
      return this;
    }

    public Builder buildArgs(List<String> values) {
      state.buildArgs = List.copyOf(values);
      return this;
    }

    public Builder labels(List<String> values) {
      state.labels = List.copyOf(values);
      return this;
    }

    /** {@code --platform} values, each possibly a comma list. */
    public Builder platforms(List<String> values) {
      state.platforms = List.copyOf(values);
      return this;
    }

    public Builder target(String value) {
      state.target = value;
      return this;
    }

    public Builder noCache(boolean value) {
      state.noCache = value;
      return this;
    }

    public Builder noCacheFilter(List<String> values) {
      state.noCacheFilter = List.copyOf(values);
      return this;
    }

    public Builder pull(boolean value) {
      state.pull = value;
      return this;
    }

    public Builder outputs(List<String> values) {
      state.outputs = List.copyOf(values);
      return this;
    }

    public Builder push(boolean value) {
      state.push = value;
      return this;
    }

    public Builder load(boolean value) {
      state.load = value;
      return this;
    }

    public Builder cacheFrom(List<String> values) {
      state.cacheFrom = List.copyOf(values);
      return this;
    }

    public Builder cacheTo(List<String> values) {
      state.cacheTo = List.copyOf(values);
      return this;
    }

    public Builder buildContexts(List<String> values) {
      state.buildContexts = List.copyOf(values);
      return this;
    }

    public Builder attests(List<String> values) {
      state.attests = List.copyOf(values);
      return this;
    }

    /** {@code --provenance}; null when not given. */
    public Builder provenance(String value) {
      state.provenance = value;
      return this;
    }

    /** {@code --sbom}; null when not given. */
    public Builder sbom(String value) {
      state.sbom = value;
      return this;
    }

    public Builder annotations(List<String> values) {
      state.annotations = List.copyOf(values);
      return this;
    }

    /** {@code --add-host} values, each possibly a comma list. */
    public Builder addHosts(List<String> values) {
      state.addHosts = List.copyOf(values);
      return this;
    }

    public Builder network(String value) {
      state.network = value;
      return this;
    }

    public Builder shmSize(String value) {
      state.shmSize = value;
      return this;
    }

    public Builder ulimits(List<String> values) {
      state.ulimits = List.copyOf(values);
      return this;
    }

    public Builder cgroupParent(String value) {
      state.cgroupParent = value;
      return this;
    }

    /** {@code --allow} values; one without {@code =} may be a comma list. */
    public Builder allow(List<String> values) {
      state.allow = List.copyOf(values);
      return this;
    }

    public Builder secrets(List<String> values) {
      state.secrets = List.copyOf(values);
      return this;
    }

    public Builder ssh(List<String> values) {
      state.ssh = List.copyOf(values);
      return this;
    }

    public Builder imageIdFile(String value) {
      state.imageIdFile = value;
      return this;
    }

    public Builder metadataFile(String value) {
      state.metadataFile = value;
      return this;
    }

    public Builder progress(String value) {
      state.progress = value;
      return this;
    }

    public Builder quiet(boolean value) {
      state.quiet = value;
      return this;
    }

    public Builder project(String value) {
      state.project = value;
      return this;
    }

    public Builder token(String value) {
      state.token = value;
      return this;
    }

    public Builder save(boolean value) {
      state.save = value;
      return this;
    }

    public Builder saveTags(List<String> values) {
      state.saveTags = List.copyOf(values);
      return this;
    }

    public Builder buildPlatform(String value) {
      state.buildPlatform = value;
      return this;
    }

    public Builder lint(boolean value) {
      state.lint = value;
      return this;
    }

    public Builder lintFailOn(String value) {
      state.lintFailOn = value;
      return this;
    }

    public Builder sbomDirectory(String value) {
      state.sbomDirectory = value;
      return this;
    }

    /** Depot's hidden {@code --suppress-no-output-warning}: keep no image when no output is given. */
    public Builder suppressNoOutputWarning(boolean value) {
      state.suppressNoOutputWarning = value;
      return this;
    }

    /** {@code --builder}. */
    public Builder builderAddress(String value) {
      state.builderAddress = value;
      return this;
    }

    public Builder tlsCaCertificate(String value) {
      state.tlsCaCertificate = value;
      return this;
    }

    public Builder tlsCertificate(String value) {
      state.tlsCertificate = value;
      return this;
    }

    public Builder tlsKey(String value) {
      state.tlsKey = value;
      return this;
    }

    public Builder tlsDirectory(String value) {
      state.tlsDirectory = value;
      return this;
    }

    public Builder tlsServerName(String value) {
      state.tlsServerName = value;
      return this;
    }

    /** Adds a warning to report with the options, such as for an ignored legacy flag. */
    public Builder warning(String message) {
      state.extraWarnings.add(message);
      return this;
    }

    /**
     * The environment for bare {@code --build-arg KEY}, {@code SOURCE_DATE_EPOCH}, GitHub Actions cache
     * credentials and the {@code BUILDX_NO_DEFAULT_*} switches.
     */
    public Builder environment(Map<String, String> value) {
      state.environment = Map.copyOf(value);
      return this;
    }

    /** The folder that relative paths are resolved against. */
    public Builder workingDirectory(Path value) {
      state.workingDirectory = value.toAbsolutePath().normalize();
      return this;
    }

    /** Opens stdin; called only when the context or the Dockerfile is {@code -}. */
    public Builder stdin(Supplier<InputStream> value) {
      state.stdin = value;
      return this;
    }

    /** Whether stdout is a terminal, where a tarball must not be written. */
    public Builder stdoutIsTerminal(boolean value) {
      state.stdoutIsTerminal = value;
      return this;
    }

    /**
     * Validates every value and returns the options.
     *
     * @throws InvalidBuildOptionsException listing every problem, one line each
     */
    public BuildOptions build() throws InvalidBuildOptionsException {
      List<String> problems = new ArrayList<>();
      BuildOptionsBuilder.Result result = state.validate(problems);
      if (!problems.isEmpty()) {
        result.temporaryDirectories.forEach(BuildOptions::deleteRecursively);
        throw new InvalidBuildOptionsException(problems);
      }
      return new BuildOptions(result);
    }
  }
}
