package dev.depotrunner.steps.build;

import dev.depotrunner.buildkit.content.ContentStores;
import dev.depotrunner.buildkit.proto.control.CacheOptions;
import dev.depotrunner.buildkit.proto.control.CacheOptionsEntry;
import dev.depotrunner.buildkit.proto.control.SolveRequest;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one BuildKit Solve needs for a {@code depot build}, computed by {@link SolvePlanner} from the build
 * options the way buildx computes its SolveOpt: the frontend and its attributes, the folders the session
 * serves, the exporters and where their results go, the cache entries and the entitlements.
 *
 * <p>The fields map onto {@code moby.buildkit.v1.SolveRequest}: {@link #frontend()} to {@code Frontend},
 * {@link #frontendAttributes()} to {@code FrontendAttrs}, {@link #exporters()} to {@code Exporters} (the
 * first one also to {@code ExporterDeprecated}/{@code ExporterAttrsDeprecated} for builders before v0.13),
 * {@link #cacheImports()}/{@link #cacheExports()} to {@code Cache.Imports}/{@code Cache.Exports}, and
 * {@link #entitlements()} to {@code Entitlements}; {@link #toSolveRequest()} builds that request. The rest
 * configures the session: {@link #localDirs()} and {@link #sharedKey()} for FileSync, the exporters'
 * {@link Destination}s for the file sync target and content store, {@link #ociLayouts()} and local cache
 * folders for the content store, and the raw {@link #secrets()} and {@link #ssh()} specs for the secrets
 * and SSH services.
 *
 * @param frontend {@code dockerfile.v0}, or {@code gateway.v0} when {@code BUILDKIT_SYNTAX} names a frontend image
 * @param localDirs the folders FileSync serves, by the name the frontend asks for: {@code context},
 *     {@code dockerfile}, and one per local named context
 * @param sharedKey the FileSync shared key for the main context (the folder's name), or empty. buildx
 *     appends {@code :} and an id of the client machine, here and to the {@code sharedkey:localdir:NAME}
 *     attributes, so that two clients with folders of the same name do not share file sync state.
 * @param enginePushes names to push through the Docker Engine API after the build, because the engine's
 *     own image store cannot push from the exporter (a Docker Engine without the containerd image store)
 * @param requirements the builder capabilities the request relies on, for messages when a builder rejects it
 * @param warnings things to tell the user before the build starts, one line each
 */
public record SolvePlan(
    String frontend,
    SortedMap<String, String> frontendAttributes,
    SortedMap<String, Path> localDirs,
    Optional<String> sharedKey,
    List<Exporter> exporters,
    List<CacheEntry> cacheImports,
    List<CacheEntry> cacheExports,
    List<String> entitlements,
    List<OciLayoutStore> ociLayouts,
    List<String> secrets,
    List<String> ssh,
    List<String> enginePushes,
    Set<Requirement> requirements,
    List<String> warnings) {

  /** The frontend attribute that carries the cache imports as JSON, which the Dockerfile frontend reads. */
  public static final String CACHE_IMPORTS_ATTRIBUTE = ContentStores.CACHE_IMPORTS_ATTRIBUTE;

  public SolvePlan {
    frontendAttributes = Collections.unmodifiableSortedMap(new TreeMap<>(frontendAttributes));
    localDirs = Collections.unmodifiableSortedMap(new TreeMap<>(localDirs));
    exporters = List.copyOf(exporters);
    cacheImports = List.copyOf(cacheImports);
    cacheExports = List.copyOf(cacheExports);
    entitlements = List.copyOf(entitlements);
    ociLayouts = List.copyOf(ociLayouts);
    secrets = List.copyOf(secrets);
    ssh = List.copyOf(ssh);
    enginePushes = List.copyOf(enginePushes);
    requirements = Set.copyOf(requirements);
    warnings = List.copyOf(warnings);
  }

  /**
   * One exporter of the Solve request.
   *
   * @param type {@code image}, {@code moby} (a Docker Engine's image store), {@code docker}, {@code oci},
   *     {@code local} or {@code tar}
   * @param attributes the exporter attributes, such as {@code name} and {@code push}
   * @param destination where the client receives the result
   */
  public record Exporter(String type, SortedMap<String, String> attributes, Destination destination) {
    public Exporter {
      attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }
  }

  /** Where the client receives an exporter's result. */
  public sealed interface Destination {}

  /** The result stays on the builder side: in its image store, its registry push, or its cache. */
  public record NoDestination() implements Destination {}

  /** A folder the session's file sync target writes into ({@code local}). */
  public record Directory(Path path) implements Destination {}

  /** A file the session's file sync target writes a tarball into ({@code tar}, {@code oci}, {@code docker}). */
  public record File(Path path) implements Destination {}

  /** This process's stdout receives the tarball. */
  public record Stdout() implements Destination {}

  /**
   * An OCI layout folder the session's content store fills ({@code oci} or {@code docker} with
   * {@code tar=false}); BuildKit's client names that store {@code export}.
   */
  public record ContentStore(Path path) implements Destination {}

  /**
   * A Docker Engine that loads the {@code docker} tarball, as {@code docker load} does.
   *
   * @param dockerContext the Docker context named by the output's {@code context} attribute, or empty for
   *     the default engine
   */
  public record DockerEngine(Optional<String> dockerContext) implements Destination {}

  /**
   * One cache import or export entry. {@link #toString()} hides credential attributes.
   *
   * @param type {@code registry}, {@code local}, {@code inline}, {@code gha}, {@code s3} or {@code azblob}
   */
  public record CacheEntry(String type, SortedMap<String, String> attributes) {
    public CacheEntry {
      attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    /**
     * Returns the folder of a {@code local} cache, which the session's content store serves under the name
     * {@code local:FOLDER}: {@code dest} for exports, {@code src} for imports.
     */
    public Optional<Path> localStore(boolean export) {
      if (!type.equals("local")) {
        return Optional.empty();
      }
      return Optional.ofNullable(attributes.get(export ? "dest" : "src")).map(Path::of);
    }

    @Override
    public String toString() {
      var text = new StringBuilder("type=").append(type);
      attributes.forEach((key, value) -> text.append(',').append(key).append('=').append(secret(key) ? "***" : value));
      return text.toString();
    }

    private static boolean secret(String key) {
      return key.equals("token") || key.equals("access_key_id") || key.equals("secret_access_key")
          || key.equals("session_token");
    }
  }

  /**
   * A local OCI layout folder that a named context reads from; the session's content store serves it under
   * the name {@code oci:STORE}.
   *
   * @param store the store name used in the {@code context:NAME} attribute ({@code oci-layout://STORE...})
   */
  public record OciLayoutStore(String store, Path path) {}

  /** A builder capability the request relies on, with the first BuildKit release that has it. */
  public enum Requirement {
    ATTESTATIONS("exporter.image.attestations", "v0.11", "attestations (--attest, --provenance, --sbom)"),
    MULTIPLE_EXPORTERS("exporter.multiple", "v0.13", "more than one output"),
    CACHE_GHA("cache.gha", "v0.9", "the GitHub Actions cache (type=gha)"),
    CACHE_S3("cache.s3", "v0.11", "the S3 cache (type=s3)"),
    ULIMIT("exec.meta.ulimit", "v0.10", "--ulimit"),
    CGROUP_PARENT("exec.meta.cgroup.parent", "v0.10", "--cgroup-parent"),
    NAMED_CONTEXTS("moby.buildkit.frontend.contexts", "Dockerfile frontend 1.4", "--build-context"),
    GIT_QUERY("moby.buildkit.frontend.gitquerystring", "Dockerfile frontend 1.19", "a Git URL with a query string");

    private final String capability;
    private final String minimumVersion;
    private final String feature;

    Requirement(String capability, String minimumVersion, String feature) {
      this.capability = capability;
      this.minimumVersion = minimumVersion;
      this.feature = feature;
    }

    /** The BuildKit capability id (LLB or frontend), such as {@code exporter.multiple}. */
    public String capability() {
      return capability;
    }

    /** The first release with the capability, such as {@code v0.13}. */
    public String minimumVersion() {
      return minimumVersion;
    }

    /** What the user asked for that needs it, for messages. */
    public String feature() {
      return feature;
    }
  }

  /**
   * Returns the Solve request for this plan without {@code Ref} and {@code Session}, which the client sets
   * when it sends the request. The first exporter also fills the fields that builders before v0.13 read.
   */
  public SolveRequest toSolveRequest() {
    var request = SolveRequest.newBuilder().setFrontend(frontend).putAllFrontendAttrs(frontendAttributes);
    for (Exporter exporter : exporters) {
      request.addExporters(
          dev.depotrunner.buildkit.proto.control.Exporter.newBuilder()
              .setType(exporter.type())
              .putAllAttrs(exporter.attributes()));
    }
    if (!exporters.isEmpty()) {
      request.setExporterDeprecated(exporters.get(0).type()).putAllExporterAttrsDeprecated(exporters.get(0).attributes());
    }

    var cache = CacheOptions.newBuilder();
    cacheExports.forEach(entry -> cache.addExports(toProto(entry)));
    cacheImports.forEach(entry -> cache.addImports(toProto(entry)));
    return request.setCache(cache).addAllEntitlements(entitlements).build();
  }

  /** Describes the plan for logs; the cache imports attribute is left out because it may carry a token. */
  @Override
  public String toString() {
    var shownAttributes = new TreeMap<>(frontendAttributes);
    shownAttributes.computeIfPresent(CACHE_IMPORTS_ATTRIBUTE, (key, value) -> "(the cache imports)");
    return "SolvePlan[frontend=" + frontend
        + ", frontendAttributes=" + shownAttributes
        + ", localDirs=" + localDirs
        + ", sharedKey=" + sharedKey
        + ", exporters=" + exporters
        + ", cacheImports=" + cacheImports
        + ", cacheExports=" + cacheExports
        + ", entitlements=" + entitlements
        + ", ociLayouts=" + ociLayouts
        + ", secrets=" + secrets
        + ", ssh=" + ssh
        + ", enginePushes=" + enginePushes
        + ", requirements=" + requirements
        + ", warnings=" + warnings + "]";
  }

  static CacheOptionsEntry toProto(CacheEntry entry) {
    return CacheOptionsEntry.newBuilder().setType(entry.type()).putAllAttrs(entry.attributes()).build();
  }
}
