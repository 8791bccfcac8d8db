package dev.depotrunner.steps.build.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The raw flag values behind {@link BuildOptions.Builder} and their validation, which follows buildx's
 * {@code build} command: every value is checked and every problem is collected, prefixed with its flag.
 */
final class BuildOptionsBuilder {

  String contextArgument;
  String fileArgument;
  List<String> tags = List.of();
  List<String> buildArgs = List.of();
  List<String> labels = List.of();
  List<String> platforms = List.of();
  String target;
  boolean noCache;
  List<String> noCacheFilter = List.of();
  boolean pull;
  List<String> outputs = List.of();
  boolean push;
  boolean load;
  List<String> cacheFrom = List.of();
  List<String> cacheTo = List.of();
  List<String> buildContexts = List.of();
  List<String> attests = List.of();
  String provenance;
  String sbom;
  List<String> annotations = List.of();
  List<String> addHosts = List.of();
  String network;
  String shmSize;
  List<String> ulimits = List.of();
  String cgroupParent;
  List<String> allow = List.of();
  List<String> secrets = List.of();
  List<String> ssh = List.of();
  String imageIdFile;
  String metadataFile;
  String progress;
  boolean quiet;
  String project;
  String token;
  boolean save;
  List<String> saveTags = List.of();
  String buildPlatform;
  boolean lint;
  String lintFailOn;
  String sbomDirectory;
  boolean suppressNoOutputWarning;
  String builderAddress;
  String tlsCaCertificate;
  String tlsCertificate;
  String tlsKey;
  String tlsDirectory;
  String tlsServerName;
  final List<String> extraWarnings = new ArrayList<>();
  Map<String, String> environment = System.getenv();
  Path workingDirectory = Path.of("").toAbsolutePath();
  Supplier<InputStream> stdin = () -> System.in;
  boolean stdoutIsTerminal = System.console() != null;

  /** The validated values, in the shape {@link BuildOptions} keeps them. */
  static final class Result {
    ContextSource context;
    DockerfileSource dockerfile;
    List<ImageReference> tags = new ArrayList<>();
    Map<String, String> buildArgs = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    List<Platform> platforms = new ArrayList<>();
    Optional<String> target = Optional.empty();
    boolean noCache;
    List<String> noCacheFilter = new ArrayList<>();
    boolean pull;
    List<OutputSpec> outputs = new ArrayList<>();
    boolean push;
    boolean load;
    List<CacheSpec> cacheFrom = new ArrayList<>();
    List<CacheSpec> cacheTo = new ArrayList<>();
    List<BuildContextSpec> buildContexts = new ArrayList<>();
    List<AttestSpec> attests = new ArrayList<>();
    List<Annotation> annotations = new ArrayList<>();
    List<HostEntry> extraHosts = new ArrayList<>();
    NetworkMode network = NetworkMode.DEFAULT;
    Optional<MemorySize> shmSize = Optional.empty();
    List<Ulimit> ulimits = new ArrayList<>();
    Optional<String> cgroupParent = Optional.empty();
    List<Entitlement> allow = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    List<String> ssh = new ArrayList<>();
    Optional<Path> imageIdFile = Optional.empty();
    Optional<Path> metadataFile = Optional.empty();
    ProgressMode progress = ProgressMode.AUTO;
    boolean quiet;
    boolean defaultAttestations = true;
    boolean defaultLoad = true;
    Optional<String> project = Optional.empty();
    Optional<DepotToken> token = Optional.empty();
    boolean save;
    List<String> saveTags = new ArrayList<>();
    BuildPlatform buildPlatform = BuildPlatform.DYNAMIC;
    boolean lint;
    LintFailOn lintFailOn = LintFailOn.ERROR;
    Optional<Path> sbomDirectory = Optional.empty();
    BuilderEndpoint builderEndpoint = BuilderEndpoint.unspecified();
    List<String> warnings = new ArrayList<>();
    List<Path> temporaryDirectories = new ArrayList<>();
  }

  Result validate(List<String> problems) {
    var result = new Result();

    result.tags = parseEach(tags, "--tag", ImageReference::parse, problems);
    result.platforms = parseAll("--platform", () -> Platform.parseAll(platforms), problems);
    result.buildArgs = keyValues(buildArgs, "--build-arg", true, problems);
    addSourceDateEpoch(result.buildArgs);
    result.labels = keyValues(labels, "--label", false, problems);
    result.target = nonEmpty(target);
    validateCacheSwitches(result, problems);
    result.pull = pull;

    validateOutputs(result, problems);
    result.cacheFrom = validateCaches(cacheFrom, "--cache-from", result.warnings, problems);
    result.cacheTo = validateCaches(cacheTo, "--cache-to", result.warnings, problems);
    result.buildContexts = validateBuildContexts(problems);
    result.attests = validateAttests(problems);
    for (String value : annotations) {
      result.annotations.addAll(parseAll("--annotation", () -> Annotation.parse(value), problems));
    }

    for (String value : addHosts) {
      result.extraHosts.addAll(parseAll("--add-host", () -> HostEntry.parseAll(value), problems));
    }
    result.network = parseOne("--network", network, NetworkMode::parse, problems).orElse(NetworkMode.DEFAULT);
    result.shmSize = parseOne("--shm-size", shmSize, MemorySize::parse, problems);
    result.ulimits = validateUlimits(problems);
    result.cgroupParent = nonEmpty(cgroupParent);
    result.allow = validateEntitlements(problems);
    result.secrets = withoutEmpty(secrets);
    result.ssh = withoutEmpty(ssh);

    result.imageIdFile = nonEmpty(imageIdFile).map(this::absolute);
    result.metadataFile = nonEmpty(metadataFile).map(this::absolute);
    validateProgress(result, problems);
    result.defaultAttestations = !GoBool.isTrue(environment.get("BUILDX_NO_DEFAULT_ATTESTATIONS"));
    result.defaultLoad = !suppressNoOutputWarning && !GoBool.isTrue(environment.get("BUILDX_NO_DEFAULT_LOAD"));

    validateDepotFlags(result, problems);
    result.builderEndpoint = validateBuilderEndpoint(problems);
    validateOutputCombinations(result, problems);
    result.warnings.addAll(extraWarnings);

    var inputs = new BuildInputsResolver(workingDirectory, problems);
    boolean needsStdin = inputs.resolveWithoutStdin(contextArgument, fileArgument);
    if (needsStdin && problems.isEmpty()) {
      inputs.readStdin(contextArgument, fileArgument, stdin);
    }
    result.context = inputs.context;
    result.dockerfile = inputs.dockerfile;
    result.temporaryDirectories = inputs.temporaryDirectories();
    return result;
  }

  private Path absolute(String path) {
    return workingDirectory.resolve(path).normalize();
  }

  // --- parsing helpers -------------------------------------------------------------------------------

  private static <T> List<T> parseEach(List<String> values, String flag, Function<String, T> parser, List<String> problems) {
    List<T> parsed = new ArrayList<>();
    for (String value : values) {
      parseOne(flag, value, parser, problems).ifPresent(parsed::add);
    }
    return parsed;
  }

  private static <T> Optional<T> parseOne(String flag, String value, Function<String, T> parser, List<String> problems) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.apply(value));
    } catch (InvalidOptionException e) {
      problems.add(flag + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  private static <T> List<T> parseAll(String flag, Supplier<List<T>> parser, List<String> problems) {
    try {
      return new ArrayList<>(parser.get());
    } catch (InvalidOptionException e) {
      problems.add(flag + ": " + e.getMessage());
      return new ArrayList<>();
    }
  }

  private static Optional<String> nonEmpty(String value) {
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static List<String> withoutEmpty(List<String> values) {
    return values.stream().filter(value -> !value.isEmpty()).toList();
  }

  /**
   * Reads {@code KEY=VALUE} pairs as buildx's listToMap does: a bare {@code KEY} takes its value from the
   * environment (omitted when unset) for build arguments, and is empty for labels.
   */
  private Map<String, String> keyValues(List<String> values, String flag, boolean fromEnvironment, List<String> problems) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String value : values) {
      int equals = value.indexOf('=');
      String key = equals < 0 ? value : value.substring(0, equals);
      if (key.isEmpty()) {
        problems.add(flag + ": invalid \"" + value + "\": the key is empty; use KEY=VALUE");
        continue;
      }
      if (equals >= 0) {
        result.put(key, value.substring(equals + 1));
      } else if (!fromEnvironment) {
        result.put(key, "");
      } else if (environment.containsKey(key)) {
        result.put(key, environment.get(key));
      }
    }
    return result;
  }

  /** Passes {@code SOURCE_DATE_EPOCH} from the environment as a build argument, as buildx does. */
  private void addSourceDateEpoch(Map<String, String> buildArgs) {
    String epoch = environment.get("SOURCE_DATE_EPOCH");
    if (epoch != null && !epoch.isEmpty() && !buildArgs.containsKey("SOURCE_DATE_EPOCH")) {
      buildArgs.put("SOURCE_DATE_EPOCH", epoch);
    }
  }

  private void validateCacheSwitches(Result result, List<String> problems) {
    result.noCache = noCache;
    result.noCacheFilter = new ArrayList<>(withoutEmpty(noCacheFilter));
    if (noCache && !result.noCacheFilter.isEmpty()) {
      problems.add("--no-cache-filter: cannot be combined with --no-cache, which already skips the cache for every stage; use one");
    }
  }

  // --- outputs --------------------------------------------------------------------------------------

  private void validateOutputs(Result result, List<String> problems) {
    result.push = push;
    result.load = load;
    boolean stdoutTaken = false;
    for (String value : outputs) {
      if (value.isEmpty()) {
        continue;
      }
      Optional<OutputSpec> parsed = parseOne("--output", value, OutputSpec::parse, problems);
      if (parsed.isEmpty()) {
        continue;
      }
      OutputSpec output = parsed.get();
      if (output.writesStdout()) {
        if (stdoutTaken) {
          problems.add("--output: more than one output writes to stdout; give the others a dest file");
        } else if (stdoutIsTerminal) {
          problems.add("--output: \"" + value + "\" would write a " + output.type()
              + " tarball to the terminal; redirect stdout to a file or set dest=FILE");
        }
        stdoutTaken = true;
      } else if (output.destination().isPresent() && (output.writesDirectory() || output.writesFile())) {
        output = resolveDestination(value, output, problems);
      }
      result.outputs.add(output);
    }
  }

  private OutputSpec resolveDestination(String value, OutputSpec output, List<String> problems) {
    Path destination = absolute(output.destination().get());
    if (output.writesDirectory() && Files.exists(destination) && !Files.isDirectory(destination)) {
      problems.add("--output: \"" + value + "\": the destination " + destination + " is a file; the "
          + output.type() + " exporter writes a folder");
    }
    if (output.writesFile() && Files.isDirectory(destination)) {
      problems.add("--output: \"" + value + "\": the destination " + destination + " is a folder; the "
          + output.type() + " exporter writes one file");
    }
    return output.withDestination(destination.toString());
  }

  private void validateOutputCombinations(Result result, List<String> problems) {
    if (result.imageIdFile.isPresent()) {
      for (OutputSpec output : result.outputs) {
        if (output.type().equals("local") || output.type().equals("tar")) {
          problems.add("--iidfile: the " + output.type() + " output produces no image ID; drop --iidfile or the output");
        }
      }
    }
    if (!result.tags.isEmpty()) {
      return;
    }
    boolean hasImageOutput = false;
    for (OutputSpec output : result.outputs) {
      boolean registry = output.type().equals("registry");
      if (!registry && !output.type().equals("image")) {
        continue;
      }
      hasImageOutput = true;
      boolean pushed = registry || push || GoBool.isTrue(output.attributes().get("push"));
      if (pushed && output.attributes().getOrDefault("name", "").isEmpty()) {
        problems.add("--tag: an image name is needed to push; add -t REGISTRY/REPOSITORY[:TAG]");
        return;
      }
    }
    if (push && !hasImageOutput) {
      problems.add("--tag: an image name is needed to push; add -t REGISTRY/REPOSITORY[:TAG]");
    }
  }

  // --- cache ----------------------------------------------------------------------------------------

  private List<CacheSpec> validateCaches(List<String> values, String flag, List<String> warnings, List<String> problems) {
    List<CacheSpec> entries = new ArrayList<>();
    for (String value : values) {
      for (CacheSpec entry : parseAll(flag, () -> CacheSpec.parse(value), problems)) {
        CacheSpec resolved = resolveCache(entry, flag, problems);
        if (resolved.type().equals("gha")) {
          resolved = addGitHubActionsCredentials(resolved);
          if (!gitHubActionsCacheUsable(resolved)) {
            warnings.add(flag + ": skipping the GitHub Actions cache because ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL"
                + " (or ACTIONS_RESULTS_URL) are not set; expose them to this step");
            continue;
          }
        }
        entries.add(resolved);
      }
    }
    return entries;
  }

  private CacheSpec resolveCache(CacheSpec entry, String flag, List<String> problems) {
    boolean export = flag.equals("--cache-to");
    switch (entry.type()) {
      case "local" -> {
        String key = export ? "dest" : "src";
        String path = entry.attributes().getOrDefault(key, "");
        if (path.isEmpty()) {
          problems.add(flag + ": " + entry + ": the local cache needs " + key + "=FOLDER");
          return entry;
        }
        return entry.withAttribute(key, absolute(path).toString());
      }
      case "registry" -> {
        if (entry.attributes().getOrDefault("ref", "").isEmpty()) {
          problems.add(flag + ": " + entry + ": the registry cache needs ref=REGISTRY/REPOSITORY[:TAG]");
        }
        return entry;
      }
      default -> {
        return entry;
      }
    }
  }

  /**
   * Fills the GitHub Actions cache service's token and URLs from the runner's environment, as buildx does;
   * the token stays out of every message (see {@link CacheSpec#toString()}).
   */
  private CacheSpec addGitHubActionsCredentials(CacheSpec entry) {
    CacheSpec result = entry;
    String version = entry.attributes().get("version");
    if (version == null && GoBool.isTrue(environment.get("ACTIONS_CACHE_SERVICE_V2"))) {
      version = "2";
    }
    if (!result.attributes().containsKey("token") && environment.containsKey("ACTIONS_RUNTIME_TOKEN")) {
      result = result.withAttribute("token", environment.get("ACTIONS_RUNTIME_TOKEN"));
    }
    if (!result.attributes().containsKey("url_v2") && "2".equals(version) && environment.containsKey("ACTIONS_RESULTS_URL")) {
      result = result.withAttribute("url_v2", environment.get("ACTIONS_RESULTS_URL"));
    }
    if (!result.attributes().containsKey("url")) {
      String url = environment.getOrDefault("ACTIONS_CACHE_URL", environment.get("ACTIONS_RESULTS_URL"));
      if (url != null) {
        result = result.withAttribute("url", url);
      }
    }
    return result;
  }

  private static boolean gitHubActionsCacheUsable(CacheSpec entry) {
    var attributes = entry.attributes();
    return !attributes.getOrDefault("token", "").isEmpty()
        && (!attributes.getOrDefault("url", "").isEmpty() || !attributes.getOrDefault("url_v2", "").isEmpty());
  }

  // --- named contexts and attestations --------------------------------------------------------------

  private List<BuildContextSpec> validateBuildContexts(List<String> problems) {
    Map<String, BuildContextSpec> byName = new LinkedHashMap<>();
    for (String value : buildContexts) {
      if (value.isEmpty()) {
        continue;
      }
      Optional<BuildContextSpec> parsed = parseOne("--build-context", value, BuildContextSpec::parse, problems);
      if (parsed.isEmpty()) {
        continue;
      }
      BuildContextSpec spec = parsed.get();
      if (spec.source() instanceof BuildContextSpec.LocalDirectory local) {
        Path directory = workingDirectory.resolve(local.path()).normalize();
        if (!Files.isDirectory(directory)) {
          problems.add("--build-context: \"" + value + "\": " + directory
              + (Files.exists(directory) ? " is not a folder" : " does not exist") + "; pass a folder, an image as docker-image://REF, or a URL");
          continue;
        }
        spec = spec.withSource(new BuildContextSpec.LocalDirectory(directory));
      } else if (spec.source() instanceof BuildContextSpec.OciLayout layout) {
        Optional<BuildContextSpec.OciLayout> resolved = resolveOciLayout(value, layout, problems);
        if (resolved.isEmpty()) {
          continue;
        }
        spec = spec.withSource(resolved.get());
      }
      byName.remove(spec.name());
      byName.put(spec.name(), spec);
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * Makes the layout folder absolute and, without a digest, looks the tag up in its {@code index.json} the
   * way BuildKit's client does: by {@code io.containerd.image.name}, then by
   * {@code org.opencontainers.image.ref.name}, then the only manifest.
   */
  private Optional<BuildContextSpec.OciLayout> resolveOciLayout(String value, BuildContextSpec.OciLayout layout, List<String> problems) {
    Path directory = workingDirectory.resolve(layout.path()).normalize();
    if (layout.digest().isPresent()) {
      return Optional.of(new BuildContextSpec.OciLayout(directory, layout.tag(), layout.digest()));
    }
    Path index = directory.resolve("index.json");
    JsonNode manifests;
    try {
      manifests = new ObjectMapper().readTree(index.toFile()).path("manifests");
    } catch (IOException e) {
      problems.add("--build-context: \"" + value + "\": reading " + index + " failed: " + e.getMessage());
      return Optional.empty();
    }

    String tag = layout.tag().orElse("latest");
    String digest = null;
    for (String annotation : List.of("io.containerd.image.name", "org.opencontainers.image.ref.name")) {
      for (JsonNode manifest : manifests) {
        if (digest == null && tag.equals(manifest.path("annotations").path(annotation).asText(null))) {
          digest = manifest.path("digest").asText(null);
        }
      }
    }
    if (digest == null && manifests.size() == 1) {
      digest = manifests.get(0).path("digest").asText(null);
    }
    if (digest == null) {
      problems.add("--build-context: \"" + value + "\": " + index + " has no image tagged " + tag + "; add @sha256:DIGEST");
      return Optional.empty();
    }
    try {
      ImageReference.validateDigest(value, digest);
    } catch (InvalidOptionException e) {
      problems.add("--build-context: " + e.getMessage());
      return Optional.empty();
    }
    return Optional.of(new BuildContextSpec.OciLayout(directory, layout.tag(), Optional.of(digest)));
  }

  private List<AttestSpec> validateAttests(List<String> problems) {
    List<AttestSpec> parsed = new ArrayList<>(parseEach(attests, "--attest", AttestSpec::parse, problems));
    if (provenance != null && !provenance.isEmpty()) {
      parseOne("--provenance", provenance, value -> AttestSpec.parseShorthand("provenance", value), problems).ifPresent(parsed::add);
    }
    if (sbom != null && !sbom.isEmpty()) {
      parseOne("--sbom", sbom, value -> AttestSpec.parseShorthand("sbom", value), problems).ifPresent(parsed::add);
    }

    Map<String, AttestSpec> byType = new LinkedHashMap<>();
    for (AttestSpec attest : parsed) {
      if (byType.putIfAbsent(attest.type(), attest) != null) {
        problems.add("--attest: the " + attest.type() + " attestation is requested twice (--attest type=" + attest.type()
            + " or --" + attest.type() + "); keep one");
      }
    }
    return new ArrayList<>(byType.values());
  }

  // --- run settings ---------------------------------------------------------------------------------

  private List<Ulimit> validateUlimits(List<String> problems) {
    Map<String, Ulimit> byName = new TreeMap<>();
    for (Ulimit ulimit : parseEach(ulimits, "--ulimit", Ulimit::parse, problems)) {
      byName.put(ulimit.name(), ulimit);
    }
    return new ArrayList<>(byName.values());
  }

  private List<Entitlement> validateEntitlements(List<String> problems) {
    List<String> values = new ArrayList<>();
    for (String value : allow) {
      if (value.contains("=")) {
        values.add(value);
      } else {
        for (String part : value.split(",")) {
          values.add(part.trim());
        }
      }
    }
    return parseEach(values, "--allow", Entitlement::parse, problems);
  }

  private void validateProgress(Result result, List<String> problems) {
    String mode = progress == null || progress.isEmpty() ? "auto" : progress;
    ProgressMode parsed = parseOne("--progress", mode, ProgressMode::parse, problems).orElse(ProgressMode.AUTO);
    if (quiet && parsed != ProgressMode.AUTO && parsed != ProgressMode.QUIET) {
      problems.add("--quiet: cannot be combined with --progress=" + mode + "; drop one");
    }
    result.quiet = quiet || parsed == ProgressMode.QUIET;
    result.progress = result.quiet ? ProgressMode.QUIET : parsed;
  }

  // --- Depot and builder ----------------------------------------------------------------------------

  private void validateDepotFlags(Result result, List<String> problems) {
    result.project = nonEmpty(project);
    result.token = nonEmpty(token).map(DepotToken::new);
    result.save = save;
    result.saveTags = new ArrayList<>(withoutEmpty(saveTags));
    if (!result.saveTags.isEmpty() && !save) {
      result.warnings.add("--save-tag: has no effect without --save");
    }
    result.buildPlatform = parseOne("--build-platform", buildPlatform, BuildPlatform::parse, problems).orElse(BuildPlatform.DYNAMIC);
    result.lint = lint;
    result.lintFailOn = parseOne("--lint-fail-on", lintFailOn, LintFailOn::parse, problems).orElse(LintFailOn.ERROR);
    result.sbomDirectory = nonEmpty(sbomDirectory).map(this::absolute);
  }

  private BuilderEndpoint validateBuilderEndpoint(List<String> problems) {
    Optional<String> address = parseOne("--builder", builderAddress, BuilderEndpoint::parseAddress, problems);
    Optional<Path> caCertificate = nonEmpty(tlsCaCertificate).map(this::absolute);
    Optional<Path> certificate = nonEmpty(tlsCertificate).map(this::absolute);
    Optional<Path> key = nonEmpty(tlsKey).map(this::absolute);

    if (tlsDirectory != null && !tlsDirectory.isEmpty()) {
      if (caCertificate.isPresent() || certificate.isPresent() || key.isPresent()) {
        problems.add("--tlsdir: cannot be combined with --tlscacert, --tlscert or --tlskey; use one way");
      } else {
        Path directory = absolute(tlsDirectory);
        caCertificate = findTlsFile(directory, "ca.pem", "ca.crt", problems);
        certificate = findTlsFile(directory, "cert.pem", "tls.crt", problems);
        key = findTlsFile(directory, "key.pem", "tls.key", problems);
      }
    }

    requireFile("--tlscacert", caCertificate, problems);
    requireFile("--tlscert", certificate, problems);
    requireFile("--tlskey", key, problems);
    if (certificate.isPresent() != key.isPresent()) {
      problems.add((certificate.isPresent() ? "--tlskey" : "--tlscert") + ": a client certificate needs both --tlscert and --tlskey");
    }
    return new BuilderEndpoint(address, caCertificate, certificate, key, nonEmpty(tlsServerName));
  }

  private static Optional<Path> findTlsFile(Path directory, String name, String alternative, List<String> problems) {
    for (String candidate : List.of(name, alternative)) {
      Path file = directory.resolve(candidate);
      if (Files.exists(file)) {
        return Optional.of(file);
      }
    }
    problems.add("--tlsdir: " + directory + " has neither " + name + " nor " + alternative);
    return Optional.empty();
  }

  private static void requireFile(String flag, Optional<Path> file, List<String> problems) {
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      problems.add(flag + ": " + file.get() + " does not exist or is not a file");
    }
  }
}
