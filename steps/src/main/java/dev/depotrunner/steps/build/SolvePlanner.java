package dev.depotrunner.steps.build;

import dev.depotrunner.buildkit.content.ContentStores;
import dev.depotrunner.buildkit.filesync.UploadProvider;
import dev.depotrunner.steps.build.SolvePlan.CacheEntry;
import dev.depotrunner.steps.build.SolvePlan.Destination;
import dev.depotrunner.steps.build.SolvePlan.Exporter;
import dev.depotrunner.steps.build.SolvePlan.Requirement;
import dev.depotrunner.steps.build.options.AttestSpec;
import dev.depotrunner.steps.build.options.BuildContextSpec;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.CacheSpec;
import dev.depotrunner.steps.build.options.ContextSource;
import dev.depotrunner.steps.build.options.DockerfileSource;
import dev.depotrunner.steps.build.options.GoBool;
import dev.depotrunner.steps.build.options.HostEntry;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.NetworkMode;
import dev.depotrunner.steps.build.options.OutputSpec;
import dev.depotrunner.steps.build.options.Platform;
import dev.depotrunner.steps.build.options.Ulimit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Computes the {@link SolvePlan} of a build from its options and its builder, following buildx's
 * {@code toSolveOpt} and input loading (buildx {@code build/opt.go}). Pure: it reads no files and opens no
 * connections.
 */
public final class SolvePlanner {

  /** The default provenance attestation buildx requests when the builder supports attestations. */
  static final String DEFAULT_PROVENANCE = "mode=min,inline-only=true";

  private static final String CONTEXTS_CAPABILITY = "moby.buildkit.frontend.contexts";
  private static final String GIT_QUERY_CAPABILITY = "moby.buildkit.frontend.gitquerystring";

  private final BuildOptions options;
  private final SolvePlanBuilderProfile builder;

  private String frontend = "dockerfile.v0";
  private final SortedMap<String, String> attributes = new TreeMap<>();
  private final SortedMap<String, Path> localDirs = new TreeMap<>();
  private Optional<String> sharedKey = Optional.empty();
  private final List<Exporter> exporters = new ArrayList<>();
  private final List<CacheEntry> cacheImports = new ArrayList<>();
  private final List<CacheEntry> cacheExports = new ArrayList<>();
  private final Set<String> entitlements = new LinkedHashSet<>();
  private final List<SolvePlan.OciLayoutStore> ociLayouts = new ArrayList<>();
  private final List<String> enginePushes = new ArrayList<>();
  private final Set<Requirement> requirements = EnumSet.noneOf(Requirement.class);
  private final Set<String> frontendCapabilities = new TreeSet<>();
  private final List<String> warnings = new ArrayList<>();

  private SolvePlanner(BuildOptions options, SolvePlanBuilderProfile builder) {
    this.options = options;
    this.builder = builder;
  }

  /**
   * Plans the Solve for one build.
   *
   * @throws SolvePlanException when the options ask for something this builder cannot do
   */
  public static SolvePlan plan(BuildOptions options, SolvePlanBuilderProfile builder) throws SolvePlanException {
    return new SolvePlanner(options, builder).plan();
  }

  private SolvePlan plan() throws SolvePlanException {
    planCache();
    planFrontend();
    planAttestations();
    planExporters();
    planBuildArgumentsAndLabels();
    planInputs();
    planNamedContexts();
    planRunSettings();
    planCacheImportsAttribute();

    return new SolvePlan(
        frontend, attributes, localDirs, sharedKey, exporters, cacheImports, cacheExports,
        new ArrayList<>(entitlements), ociLayouts, options.secrets(), sshSpecs(), enginePushes, requirements, warnings);
  }

  /** Returns the --ssh specs, or the default agent for a Git context reached over SSH, as buildx does. */
  private List<String> sshSpecs() {
    if (options.ssh().isEmpty() && options.context() instanceof ContextSource.Remote remote && remote.gitOverSsh()) {
      return List.of("default");
    }
    return options.ssh();
  }

  // --- cache ----------------------------------------------------------------------------------------

  private void planCache() throws SolvePlanException {
    List<CacheSpec> exports = new ArrayList<>(options.cacheTo());
    if (GoBool.isTrue(options.buildArgs().get("BUILDKIT_INLINE_CACHE"))) {
      exports.add(new CacheSpec("inline", new TreeMap<>()));
    }
    for (CacheSpec export : exports) {
      if (!export.type().equals("inline") && !builder.multiPlatformStore()) {
        throw new SolvePlanException(
            "--cache-to: a Docker Engine builder exports type=" + export.type()
                + " cache only with the containerd image store; turn that on in the engine, use --cache-to type=inline, or use a BuildKit builder");
      }
    }
    addCacheEntries(exports, "--cache-to", cacheExports);
    addCacheEntries(options.cacheFrom(), "--cache-from", cacheImports);
  }

  /** Adds cache entries, skipping backends the builder is too old for, as buildx does. */
  private void addCacheEntries(List<CacheSpec> specs, String flag, List<CacheEntry> target) {
    for (CacheSpec spec : specs) {
      Requirement requirement =
          switch (spec.type()) {
            case "gha" -> Requirement.CACHE_GHA;
            case "s3" -> Requirement.CACHE_S3;
            default -> null;
          };
      if (requirement != null) {
        if (!builder.supports(requirement)) {
          warnings.add(flag + ": skipping type=" + spec.type() + " because the builder runs BuildKit "
              + builder.buildkitVersion() + " and " + requirement.feature() + " needs " + requirement.minimumVersion());
          continue;
        }
        requirements.add(requirement);
      }
      target.add(new CacheEntry(spec.type(), spec.attributes()));
    }
  }

  private void planCacheImportsAttribute() {
    if (!cacheImports.isEmpty()) {
      attributes.put(
          SolvePlan.CACHE_IMPORTS_ATTRIBUTE,
          ContentStores.cacheImportsAttribute(cacheImports.stream().map(SolvePlan::toProto).toList()));
    }
  }

  // --- frontend -------------------------------------------------------------------------------------

  private void planFrontend() throws SolvePlanException {
    options.cgroupParent().ifPresent(parent -> {
      attributes.put("cgroup-parent", parent);
      requirements.add(Requirement.CGROUP_PARENT);
    });

    String syntax = options.buildArgs().get("BUILDKIT_SYNTAX");
    if (syntax != null) {
      String commandLine = syntax.trim();
      if (commandLine.isEmpty()) {
        throw new SolvePlanException(
            "--build-arg: BUILDKIT_SYNTAX is empty; pass --build-arg BUILDKIT_SYNTAX without = to leave it unset, or name a frontend image");
      }
      frontend = "gateway.v0";
      attributes.put("source", commandLine.split(" ", 2)[0]);
      attributes.put("cmdline", syntax);
    }

    if (GoBool.isTrue(options.buildArgs().get("BUILDKIT_MULTI_PLATFORM"))) {
      attributes.put("multi-platform", "true");
    }
  }

  private void planAttestations() throws SolvePlanException {
    boolean supported = builder.supports(Requirement.ATTESTATIONS) && builder.multiPlatformStore();
    List<AttestSpec> enabled = options.attests().stream().filter(attest -> !attest.disabled()).toList();
    if (!enabled.isEmpty()) {
      // The version comes first: an engine too old for attestations cannot have the image store either.
      if (!builder.supports(Requirement.ATTESTATIONS)) {
        throw unsupported(Requirement.ATTESTATIONS);
      }
      if (!builder.multiPlatformStore()) {
        throw new SolvePlanException(
            "--attest: a Docker Engine builder stores attestations only with the containerd image store; turn that on in the engine or use a BuildKit builder");
      }
      requirements.add(Requirement.ATTESTATIONS);
      for (AttestSpec attest : enabled) {
        attributes.put("attest:" + attest.type(), attest.frontendValue());
      }
    }

    boolean provenanceRequested = options.attests().stream().anyMatch(attest -> attest.type().equals("provenance"));
    if (!provenanceRequested && supported && options.defaultAttestations()) {
      attributes.put("attest:provenance", DEFAULT_PROVENANCE);
      requirements.add(Requirement.ATTESTATIONS);
    }
  }

  private SolvePlanException unsupported(Requirement requirement) {
    return new SolvePlanException(
        requirement.feature() + " needs BuildKit " + requirement.minimumVersion() + " or newer, but the builder runs "
            + builder.buildkitVersion() + "; upgrade the builder",
        requirement);
  }

  // --- exporters ------------------------------------------------------------------------------------

  /** An exporter while it is being planned: its type and attributes change step by step. */
  private static final class Draft {
    String type;
    final SortedMap<String, String> attributes;
    final Optional<String> destination;

    Draft(String type, Map<String, String> attributes, Optional<String> destination) {
      this.type = type;
      this.attributes = new TreeMap<>(attributes);
      this.destination = destination;
    }

    boolean pushes() {
      return GoBool.isTrue(attributes.get("push"));
    }
  }

  private void planExporters() throws SolvePlanException {
    List<Draft> drafts = requestedExports();
    for (Draft draft : drafts) {
      options.annotations().forEach(annotation -> draft.attributes.put(annotation.exporterAttribute(), annotation.value()));
    }

    if (drafts.isEmpty() && options.defaultLoad()) {
      if (builder.isDockerEngine()) {
        // A Docker Engine keeps the image in its store even when no output is asked for.
        drafts.add(new Draft("image", Map.of(), Optional.empty()));
      } else {
        warnings.add("No output specified: the build result stays only in the builder's cache;"
            + " use --push to push the image or --load to load it into Docker");
      }
    }
    if (drafts.size() > 1) {
      requirements.add(Requirement.MULTIPLE_EXPORTERS);
      if (!builder.supports(Requirement.MULTIPLE_EXPORTERS)) {
        throw unsupported(Requirement.MULTIPLE_EXPORTERS);
      }
    }
    checkIndexAnnotations(drafts);
    setImageNames(drafts);

    for (Draft draft : drafts) {
      if (!draft.type.equals("cacheonly")) {
        exporters.add(finishExporter(draft));
      }
    }
  }

  /** Returns the outputs of -o, --push and --load, merged as buildx merges them. */
  private List<Draft> requestedExports() {
    List<Draft> drafts = new ArrayList<>();
    for (OutputSpec output : options.outputs()) {
      var draft = new Draft(output.type(), output.attributes(), output.destination());
      if (draft.type.equals("registry")) {
        draft.type = "image";
        draft.attributes.put("push", "true");
        draft.attributes.putIfAbsent("unpack", "false");
      }
      drafts.add(draft);
    }

    if (options.push()) {
      boolean pushed = false;
      for (Draft draft : drafts) {
        if (draft.type.equals("image")) {
          draft.attributes.put("push", "true");
          draft.attributes.putIfAbsent("unpack", "false");
          pushed = true;
        }
      }
      if (!pushed) {
        drafts.add(new Draft("image", Map.of("push", "true", "unpack", "false"), Optional.empty()));
      }
    }

    if (options.load()) {
      boolean loaded = drafts.stream().anyMatch(draft -> draft.type.equals("docker") && draft.destination.isEmpty());
      if (!loaded) {
        drafts.add(new Draft("docker", Map.of(), Optional.empty()));
      }
    }
    return drafts;
  }

  private void checkIndexAnnotations(List<Draft> drafts) throws SolvePlanException {
    if (!builder.isDockerEngine() || builder.multiPlatformStore()) {
      return;
    }
    boolean onIndex = options.annotations().stream().anyMatch(annotation -> annotation.onIndex());
    boolean imageExport = drafts.stream().anyMatch(draft -> draft.type.equals("image") || draft.type.equals("docker"));
    if (onIndex && imageExport) {
      throw new SolvePlanException(
          "--annotation: a Docker Engine builder without the containerd image store makes no image index, so index annotations cannot be set; drop them or turn on the containerd image store");
    }
  }

  private void setImageNames(List<Draft> drafts) throws SolvePlanException {
    if (options.tags().isEmpty()) {
      for (Draft draft : drafts) {
        if (draft.type.equals("image") && draft.pushes() && draft.attributes.getOrDefault("name", "").isEmpty()) {
          throw new SolvePlanException("--push: an image name is needed to push; add -t REGISTRY/REPOSITORY[:TAG]");
        }
      }
      return;
    }
    String names = options.tags().stream().map(ImageReference::toString).collect(Collectors.joining(","));
    for (Draft draft : drafts) {
      if (draft.type.equals("image") || draft.type.equals("oci") || draft.type.equals("docker")) {
        draft.attributes.put("name", names);
      }
    }
  }

  private Exporter finishExporter(Draft draft) throws SolvePlanException {
    String requestedType = draft.type;
    Destination destination = destinationOf(draft);

    if (draft.type.equals("oci") && !builder.multiPlatformStore()) {
      throw new SolvePlanException(
          "--output: a Docker Engine builder has the oci exporter only with the containerd image store; turn that on in the engine or use a BuildKit builder");
    }
    if (draft.type.equals("docker")) {
      boolean attests = options.attests().stream().anyMatch(attest -> !attest.disabled());
      if (options.platforms().size() > 1 || attests) {
        throw new SolvePlanException(
            "--load: the docker exporter cannot hold a multi-platform image or attestations; use --output type=oci, or build one platform without --attest");
      }
      if (draft.destination.isEmpty()) {
        if (builder.loadsIntoOwnStore()) {
          draft.type = "image";
          destination = new SolvePlan.NoDestination();
        } else if (!builder.multiPlatformStore()) {
          throw new SolvePlanException(
              "--load: this Docker Engine builder is not the engine DOCKER_HOST names, and it writes docker tarballs only with the containerd image store;"
                  + " point DOCKER_HOST at the builder's engine, or turn the containerd image store on in the builder");
        } else {
          // NOTE: buildx switches to the oci exporter when the engine it loads into uses the containerd
          // image store, which also accepts multi-platform images; this plan always sends a docker tarball.
          destination = new SolvePlan.DockerEngine(Optional.ofNullable(draft.attributes.get("context")));
        }
      } else if (!builder.multiPlatformStore()) {
        throw new SolvePlanException(
            "--output: a Docker Engine builder writes docker tarballs only with the containerd image store; turn that on in the engine or use a BuildKit builder");
      }
    }
    if (draft.type.equals("image") && builder.isDockerEngine()) {
      planEngineImage(draft);
    }
    if (requestedType.equals("docker") || requestedType.equals("image") || requestedType.equals("oci")) {
      String buildInfo = options.buildArgs().get("BUILDKIT_INLINE_BUILDINFO_ATTRS");
      if (buildInfo != null) {
        draft.attributes.put("buildinfo-attrs", buildInfo);
      }
    }
    return new Exporter(draft.type, draft.attributes, destination);
  }

  /** Turns an image export on a Docker Engine into the engine's {@code moby} exporter, as buildx does. */
  private void planEngineImage(Draft draft) throws SolvePlanException {
    draft.type = "moby";
    if (builder.containerdImageStore()) {
      // The containerd image store finds images by manifest or index digest.
      draft.attributes.put("prefer-image-digest", "true");
    }
    if (!draft.pushes()) {
      return;
    }
    if (GoBool.isTrue(draft.attributes.get("push-by-digest"))) {
      throw new SolvePlanException(
          "--output: push-by-digest does not work with a Docker Engine builder; use a BuildKit builder");
    }
    if (!builder.containerdImageStore()) {
      for (String name : draft.attributes.getOrDefault("name", "").split(",")) {
        if (!name.isEmpty()) {
          enginePushes.add(name);
        }
      }
    }
  }

  private static Destination destinationOf(Draft draft) {
    String destination = draft.destination.orElse("");
    return switch (draft.type) {
      case "local" -> new SolvePlan.Directory(Path.of(destination));
      case "tar" -> fileDestination(destination);
      case "oci", "docker" -> {
        if (draft.destination.isEmpty()) {
          yield new SolvePlan.NoDestination();
        }
        boolean tarball = GoBool.parse(draft.attributes.getOrDefault("tar", "true")).orElse(true);
        yield tarball ? fileDestination(destination) : new SolvePlan.ContentStore(Path.of(destination));
      }
      default -> new SolvePlan.NoDestination();
    };
  }

  private static Destination fileDestination(String destination) {
    return destination.equals(OutputSpec.STDOUT) ? new SolvePlan.Stdout() : new SolvePlan.File(Path.of(destination));
  }

  // --- arguments, labels, inputs --------------------------------------------------------------------

  private void planBuildArgumentsAndLabels() {
    options.buildArgs().forEach((key, value) -> attributes.put("build-arg:" + key, value));
    options.labels().forEach((key, value) -> attributes.put("label:" + key, value));
  }

  private void planInputs() {
    if (options.context() instanceof ContextSource.Local local) {
      localDirs.put("context", local.directory());
      Path name = local.directory().getFileName();
      sharedKey = Optional.of(name == null ? local.directory().toString() : name.toString());
    } else if (options.context() instanceof ContextSource.Archive archive) {
      attributes.put("context", UploadProvider.url(archive.uploadId()));
    } else if (options.context() instanceof ContextSource.Remote remote) {
      attributes.put("context", remote.url());
      if (remote.gitQuery()) {
        frontendCapabilities.add(GIT_QUERY_CAPABILITY);
        requirements.add(Requirement.GIT_QUERY);
      }
    }

    if (options.dockerfile() instanceof DockerfileSource.Local local) {
      localDirs.put("dockerfile", local.directory());
      attributes.put("filename", local.filename());
      if (local.fromStdin() || options.context() instanceof ContextSource.Remote) {
        attributes.put("dockerfilekey", "dockerfile");
      }
    } else if (options.dockerfile() instanceof DockerfileSource.InRemoteContext remote) {
      attributes.put("filename", remote.filename());
    }
  }

  private void planNamedContexts() {
    int layouts = 0;
    for (BuildContextSpec context : options.buildContexts()) {
      frontendCapabilities.add(CONTEXTS_CAPABILITY + "+forward");
      requirements.add(Requirement.NAMED_CONTEXTS);
      String key = "context:" + context.name();

      if (context.source() instanceof BuildContextSpec.PassThrough passThrough) {
        attributes.put(key, passThrough.value());
        if (passThrough.gitQuery()) {
          frontendCapabilities.add(GIT_QUERY_CAPABILITY + "+forward");
          requirements.add(Requirement.GIT_QUERY);
        }
      } else if (context.source() instanceof BuildContextSpec.OciLayout layout) {
        String store = "ocilayout" + layouts++;
        ociLayouts.add(new SolvePlan.OciLayoutStore(store, layout.path()));
        String reference = "oci-layout://" + store + layout.tag().map(tag -> ":" + tag).orElse("")
            + layout.digest().map(digest -> "@" + digest).orElse("");
        attributes.put(key, reference);
      } else if (context.source() instanceof BuildContextSpec.LocalDirectory local) {
        // The main context and Dockerfile already use these local names.
        String localName = context.name().equals("context") || context.name().equals("dockerfile")
            ? "_" + context.name()
            : context.name();
        localDirs.put(localName, local.path());
        attributes.put(key, "local:" + localName);
        Path folderName = local.path().getFileName();
        attributes.put("sharedkey:localdir:" + context.name(), folderName == null ? local.path().toString() : folderName.toString());
      }
    }
    if (!frontendCapabilities.isEmpty()) {
      attributes.put("frontend.caps", String.join(",", frontendCapabilities));
    }
  }

  // --- RUN settings ---------------------------------------------------------------------------------

  private void planRunSettings() throws SolvePlanException {
    if (options.pull()) {
      attributes.put("image-resolve-mode", "pull");
    } else if (builder.isDockerEngine()) {
      // A Docker Engine builder uses images already in the engine before pulling them.
      attributes.put("image-resolve-mode", "local");
    }
    options.target().ifPresent(target -> attributes.put("target", target));
    if (!options.noCacheFilter().isEmpty()) {
      attributes.put("no-cache", String.join(",", options.noCacheFilter()));
    }
    if (options.noCache()) {
      attributes.put("no-cache", "");
    }

    List<Platform> platforms = options.platforms();
    if (!platforms.isEmpty()) {
      if (platforms.size() > 1 && !builder.multiPlatformStore()) {
        throw new SolvePlanException(
            "--platform: a Docker Engine builder builds several platforms at once only with the containerd image store; turn that on in the engine, build one platform, or use a BuildKit builder");
      }
      attributes.put("platform", platforms.stream().map(Platform::toString).collect(Collectors.joining(",")));
    }

    options.allow().forEach(entitlement -> entitlements.add(entitlement.value()));
    if (options.network() == NetworkMode.HOST) {
      attributes.put("force-network-mode", "host");
      entitlements.add("network.host");
    } else if (options.network() == NetworkMode.NONE) {
      attributes.put("force-network-mode", "none");
    }

    planExtraHosts();
    options.shmSize().filter(size -> size.bytes() > 0).ifPresent(size -> attributes.put("shm-size", Long.toString(size.bytes())));
    if (!options.ulimits().isEmpty()) {
      attributes.put("ulimit", options.ulimits().stream().map(Ulimit::toString).collect(Collectors.joining(",")));
      requirements.add(Requirement.ULIMIT);
    }
  }

  private void planExtraHosts() throws SolvePlanException {
    List<String> hosts = new ArrayList<>();
    for (HostEntry entry : options.extraHosts()) {
      if (!entry.address().equals(HostEntry.HOST_GATEWAY)) {
        hosts.add(entry.toString());
        continue;
      }
      if (!builder.isDockerEngine()) {
        throw new SolvePlanException(
            "--add-host: " + entry.host() + "=host-gateway works only with a Docker Engine builder; write the gateway's IP address instead");
      }
      String gateway = builder.hostGatewayAddress().orElseThrow(() -> new SolvePlanException(
          "--add-host: the Docker Engine did not report its host gateway address; write the gateway's IP address instead of host-gateway"));
      hosts.add(entry.host() + "=" + gateway);
    }
    if (!hosts.isEmpty()) {
      attributes.put("add-hosts", String.join(",", hosts));
    }
  }
}
