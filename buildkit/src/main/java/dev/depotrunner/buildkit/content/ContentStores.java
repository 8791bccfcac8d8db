package dev.depotrunner.buildkit.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depotrunner.buildkit.proto.control.CacheOptions;
import dev.depotrunner.buildkit.proto.control.CacheOptionsEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The local content stores a client serves to the builder during one Solve, prepared from the cache
 * and export options as BuildKit's Go client prepares them (client/solve.go).
 *
 * <ul>
 *   <li>{@code --cache-to type=local,dest=DIR[,tag=T][,reset=true]}: store {@code local:DIR}. After the
 *       Solve the cache manifest is recorded in {@code DIR/index.json} under tag T (default {@code
 *       latest}), and with reset the blobs no index entry reaches are deleted.
 *   <li>{@code --cache-from type=local,src=DIR[,tag=T][,digest=D]}: the digest is looked up in {@code
 *       DIR/index.json} when missing, and store {@code local:DIR} is served. An import whose folder,
 *       index entry or blob is missing is dropped with a warning, as BuildKit does.
 *   <li>{@code -o type=oci|docker,tar=false,dest=DIR}: store {@code export}. After the Solve the image
 *       descriptor is recorded in {@code DIR/index.json} under the image names, or {@code latest}.
 *   <li>OCI layout build contexts: store {@code oci:KEY}.
 * </ul>
 *
 * <p>Use: build it before the Solve, put {@link #cacheOptions()} into the SolveRequest, merge {@link
 * #frontendAttributes()} into the frontend attributes, add {@link #service()} to the Session, and call
 * {@link #finishSolve(Map)} with the exporter response after a successful Solve.
 */
public final class ContentStores {

  /** Exporter response key of the cache manifest descriptor (JSON), from moby/buildkit cache/remotecache. */
  public static final String CACHE_MANIFEST_KEY = "cache.manifest";

  /** Exporter response key of the exported image's descriptor (base64 of JSON), from BuildKit's exptypes. */
  public static final String IMAGE_DESCRIPTOR_KEY = "containerimage.descriptor";

  /** Exporter response key of the exported image's names, comma-separated. */
  public static final String IMAGE_NAME_KEY = "image.name";

  /** Frontend attribute that lists the caches for the frontend to import, as a JSON array. */
  public static final String CACHE_IMPORTS_ATTRIBUTE = "cache-imports";

  /** Store id of the OCI or Docker exporter's folder output. */
  public static final String EXPORT_STORE_ID = "export";

  static final String LOCAL_STORE_PREFIX = "local:";
  static final String OCI_STORE_PREFIX = "oci:";

  private static final System.Logger LOG = System.getLogger(ContentStores.class.getName());

  private static final Set<String> MANIFEST_MEDIA_TYPES = Set.of(
      "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");
  private static final Set<String> INDEX_MEDIA_TYPES = Set.of(
      "application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");

  private final Map<String, OciLayoutStore> stores;
  private final CacheOptions cacheOptions;
  private final Map<String, String> cacheIndexTags;
  private final List<OciLayoutStore> cachesToReset;
  private final Path exportDirectory;
  private final Consumer<String> warnings;

  private ContentStores(
      Map<String, OciLayoutStore> stores,
      CacheOptions cacheOptions,
      Map<String, String> cacheIndexTags,
      List<OciLayoutStore> cachesToReset,
      Path exportDirectory,
      Consumer<String> warnings) {
    this.stores = Map.copyOf(stores);
    this.cacheOptions = cacheOptions;
    this.cacheIndexTags = cacheIndexTags;
    this.cachesToReset = List.copyOf(cachesToReset);
    this.exportDirectory = exportDirectory;
    this.warnings = warnings;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the cache exports and the remaining imports, local ones with their digests, for SolveRequest.Cache. */
  public CacheOptions cacheOptions() {
    return cacheOptions;
  }

  /**
   * Returns the {@value #CACHE_IMPORTS_ATTRIBUTE} frontend attribute when there are cache imports,
   * else an empty map. BuildKit's client adds it only to frontend Solves, which every Dockerfile
   * build is.
   */
  public Map<String, String> frontendAttributes() {
    if (cacheOptions.getImportsCount() == 0) {
      return Map.of();
    }
    return Map.of(CACHE_IMPORTS_ATTRIBUTE, cacheImportsAttribute(cacheOptions.getImportsList()));
  }

  /** Returns the Content service for the Session, or empty if no option needs a store. */
  public Optional<ContentStoreService> service() {
    if (stores.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ContentStoreService(stores));
  }

  /**
   * Returns the {@value #CACHE_IMPORTS_ATTRIBUTE} value for {@code imports}: a JSON array of {@code
   * {"Type":..., "Attrs":{...}}} objects, the form Go's encoding/json gives BuildKit's
   * CacheOptionsEntry (empty fields omitted, attribute keys sorted).
   */
  public static String cacheImportsAttribute(List<CacheOptionsEntry> imports) {
    ArrayNode array = Mapper.JSON.createArrayNode();
    for (CacheOptionsEntry entry : imports) {
      ObjectNode object = array.addObject();
      if (!entry.getType().isEmpty()) {
        object.put("Type", entry.getType());
      }
      if (entry.getAttrsCount() > 0) {
        ObjectNode attrs = object.putObject("Attrs");
        new TreeMap<>(entry.getAttrsMap()).forEach(attrs::put);
      }
    }
    try {
      return Mapper.JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serializes", e);
    }
  }

  /**
   * Records the Solve's results in the local folders: the cache manifest in each cache export's
   * {@code index.json} and the exported image in the export folder's {@code index.json}. Then it
   * removes unreferenced blobs from caches exported with reset. Call it only after the Solve succeeded.
   *
   * @param exporterResponse the SolveResponse's exporter response
   */
  public void finishSolve(Map<String, String> exporterResponse) throws ContentStoreException {
    recordCacheManifest(exporterResponse.get(CACHE_MANIFEST_KEY));
    recordExportedImage(exporterResponse);
    resetCaches();
  }

  private void recordCacheManifest(String descriptorJson) throws ContentStoreException {
    if (descriptorJson == null || descriptorJson.isEmpty()) {
      return;
    }
    ObjectNode descriptor = parseDescriptor(descriptorJson, CACHE_MANIFEST_KEY);
    for (Map.Entry<String, String> cache : cacheIndexTags.entrySet()) {
      updateIndex(Path.of(cache.getKey()), descriptor, List.of(OciIndex.Name.tag(cache.getValue())));
    }
  }

  private void recordExportedImage(Map<String, String> exporterResponse) throws ContentStoreException {
    String encoded = exporterResponse.get(IMAGE_DESCRIPTOR_KEY);
    if (encoded == null || encoded.isEmpty() || exportDirectory == null) {
      return;
    }

    String descriptorJson;
    try {
      descriptorJson = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ContentStoreException(
          "the builder returned an invalid " + IMAGE_DESCRIPTOR_KEY + " (not base64): " + e.getMessage(), e);
    }
    ObjectNode descriptor = parseDescriptor(descriptorJson, IMAGE_DESCRIPTOR_KEY);

    List<OciIndex.Name> names = new ArrayList<>();
    String imageNames = exporterResponse.get(IMAGE_NAME_KEY);
    if (imageNames == null) {
      names.add(OciIndex.Name.tag("latest"));
    } else {
      for (String name : imageNames.split(",", -1)) {
        names.add(OciIndex.Name.image(name));
      }
    }
    updateIndex(exportDirectory, descriptor, names);
  }

  private static ObjectNode parseDescriptor(String json, String key) throws ContentStoreException {
    try {
      JsonNode node = Mapper.JSON.readTree(json);
      if (node instanceof ObjectNode descriptor && descriptor.hasNonNull("digest")) {
        return descriptor;
      }
    } catch (JsonProcessingException e) {
      throw new ContentStoreException(
          "the builder returned an invalid " + key + " descriptor: " + e.getOriginalMessage(), e);
    }
    throw new ContentStoreException("the builder returned an invalid " + key + " descriptor: " + json);
  }

  private static void updateIndex(Path layout, ObjectNode descriptor, List<OciIndex.Name> names)
      throws ContentStoreException {
    var index = new OciIndex(layout);
    try {
      index.put(descriptor, names);
    } catch (IOException e) {
      throw new ContentStoreException("failed to update " + index.path() + ": " + e.getMessage(), e);
    }
  }

  private void resetCaches() {
    for (OciLayoutStore store : cachesToReset) {
      try {
        deleteUnreferencedBlobs(store);
      } catch (IOException e) {
        warnings.accept("failed to reset cache store " + store.root() + ": " + e.getMessage());
      }
    }
  }

  /** Deletes every blob that no entry of the folder's index.json reaches through indexes and manifests. */
  static void deleteUnreferencedBlobs(OciLayoutStore store) throws IOException {
    ObjectNode index;
    try {
      index = new OciIndex(store.root()).read();
    } catch (IOException e) {
      throw new IOException("reset: failed to read index.json: " + e.getMessage(), e);
    }

    Set<Digest> referenced = new HashSet<>();
    Deque<JsonNode> pending = new ArrayDeque<>();
    index.path("manifests").forEach(pending::add);
    while (!pending.isEmpty()) {
      JsonNode descriptor = pending.pop();
      Digest digest = descriptorDigest(descriptor);
      if (referenced.add(digest)) {
        pending.addAll(children(store, descriptor, digest));
      }
    }

    List<Digest> unreferenced = new ArrayList<>();
    store.walk(Filters.parse(List.of()), info -> {
      if (!referenced.contains(info.digest())) {
        unreferenced.add(info.digest());
      }
    });
    for (Digest digest : unreferenced) {
      try {
        store.delete(digest);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "reset: failed to delete blob {0}: {1}", digest, e.getMessage());
      }
    }
  }

  private static Digest descriptorDigest(JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText("");
    try {
      return Digest.parse(digest);
    } catch (IllegalArgumentException e) {
      throw new IOException("reset: invalid descriptor in index: " + e.getMessage(), e);
    }
  }

  /** Returns a manifest's config and layers or an index's manifests, as containerd's images.Children does. */
  private static List<JsonNode> children(OciLayoutStore store, JsonNode descriptor, Digest digest) throws IOException {
    String mediaType = descriptor.path("mediaType").asText("");
    boolean manifest = MANIFEST_MEDIA_TYPES.contains(mediaType);
    if (!manifest && !INDEX_MEDIA_TYPES.contains(mediaType)) {
      return List.of();
    }

    JsonNode document;
    try {
      document = Mapper.JSON.readTree(store.readBlob(digest));
    } catch (JsonProcessingException e) {
      throw new IOException("reset: " + digest + " is not valid JSON: " + e.getOriginalMessage(), e);
    }

    List<JsonNode> children = new ArrayList<>();
    if (manifest) {
      if (document.has("config")) {
        children.add(document.get("config"));
      }
      document.path("layers").forEach(children::add);
    } else {
      document.path("manifests").forEach(children::add);
    }
    return children;
  }

  /** Collects the options, which {@link #build()} validates before it prepares the folders. */
  public static final class Builder {
    private final List<CacheOptionsEntry> cacheExports = new ArrayList<>();
    private final List<CacheOptionsEntry> cacheImports = new ArrayList<>();
    private final List<Path> exportDirectories = new ArrayList<>();
    private final Map<String, Path> ociLayouts = new LinkedHashMap<>();
    private final List<String> duplicateOciLayoutKeys = new ArrayList<>();
    private Consumer<String> warnings =
        message -> LOG.log(System.Logger.Level.WARNING, message);

    private Builder() {}

    /** Adds {@code --cache-to} entries of any type. Local ones get a store. */
    public Builder cacheExports(Collection<CacheOptionsEntry> entries) {
      cacheExports.addAll(entries);
      return this;
    }

    /** Adds {@code --cache-from} entries of any type. Local ones get a store. */
    public Builder cacheImports(Collection<CacheOptionsEntry> entries) {
      cacheImports.addAll(entries);
      return this;
    }

    /** Sets the folder of an {@code oci} or {@code docker} export with {@code tar=false}. A Solve allows one. */
    public Builder exportDirectory(Path directory) {
      exportDirectories.add(directory);
      return this;
    }

    /** Serves an OCI layout folder as store {@code oci:<key>}, for an {@code oci-layout://} build context. */
    public Builder ociLayout(String key, Path directory) {
      if (ociLayouts.putIfAbsent(key, directory) != null) {
        duplicateOciLayoutKeys.add(key);
      }
      return this;
    }

    /** Sets the receiver of warnings about skipped cache imports and failed cache resets, which are logged by default. */
    public Builder warnings(Consumer<String> warnings) {
      this.warnings = warnings;
      return this;
    }

    /**
     * Validates the options and prepares the folders: creates cache export and export folders and
     * resolves local cache imports.
     *
     * @throws ContentStoreException if an option lacks a required attribute or a folder cannot be created
     */
    public ContentStores build() throws ContentStoreException {
      var prepared = new Preparation(warnings);
      for (CacheOptionsEntry entry : cacheExports) {
        prepared.addCacheExport(entry);
      }
      for (CacheOptionsEntry entry : cacheImports) {
        prepared.addCacheImport(entry);
      }
      prepared.addOciLayouts(ociLayouts, duplicateOciLayoutKeys);
      Path exportDirectory = prepared.addExportDirectory(exportDirectories);

      return new ContentStores(
          prepared.stores,
          prepared.cache.build(),
          prepared.cacheIndexTags,
          prepared.cachesToReset,
          exportDirectory,
          warnings);
    }
  }

  /** The state that {@link Builder#build()} accumulates, as parseCacheOptions does in BuildKit's client. */
  private static final class Preparation {
    private final Consumer<String> warnings;
    private final Map<String, OciLayoutStore> stores = new LinkedHashMap<>();
    private final CacheOptions.Builder cache = CacheOptions.newBuilder();
    private final Map<String, String> cacheIndexTags = new LinkedHashMap<>();
    private final List<OciLayoutStore> cachesToReset = new ArrayList<>();

    Preparation(Consumer<String> warnings) {
      this.warnings = warnings;
    }

    void addCacheExport(CacheOptionsEntry entry) throws ContentStoreException {
      Map<String, String> attrs = entry.getAttrsMap();
      if (entry.getType().equals("local")) {
        String dest = attrs.getOrDefault("dest", "");
        if (dest.isEmpty()) {
          throw new ContentStoreException("local cache exporter requires dest: use --cache-to type=local,dest=DIR");
        }
        OciLayoutStore store = openStore(LOCAL_STORE_PREFIX + dest, Path.of(dest), "cache folder");
        cacheIndexTags.put(dest, attrs.getOrDefault("tag", "latest"));
        if (attrs.containsKey("reset") && parseBool(attrs.get("reset"), "reset", "--cache-to")) {
          cachesToReset.add(store);
        }
      }
      if (entry.getType().equals("registry") && attrs.getOrDefault("ref", "").isEmpty()) {
        throw new ContentStoreException("registry cache exporter requires ref: use --cache-to type=registry,ref=IMAGE");
      }
      cache.addExports(entry);
    }

    void addCacheImport(CacheOptionsEntry entry) throws ContentStoreException {
      if (entry.getType().equals("registry") && entry.getAttrsOrDefault("ref", "").isEmpty()) {
        throw new ContentStoreException("registry cache importer requires ref: use --cache-from type=registry,ref=IMAGE");
      }
      if (!entry.getType().equals("local")) {
        cache.addImports(entry);
        return;
      }

      String src = entry.getAttrsOrDefault("src", "");
      if (src.isEmpty()) {
        throw new ContentStoreException("local cache importer requires src: use --cache-from type=local,src=DIR");
      }
      Optional<String> digest = resolveLocalImport(entry, src);
      if (digest.isEmpty()) {
        return;
      }
      cache.addImports(entry.toBuilder().putAttrs("digest", digest.get()).build());
    }

    /** Returns the import's digest and serves its store, or warns and returns empty if BuildKit would skip it. */
    private Optional<String> resolveLocalImport(CacheOptionsEntry entry, String src) throws ContentStoreException {
      Path directory = Path.of(src);
      if (!Files.isDirectory(directory)) {
        warnings.accept("local cache import at " + src + " not found");
        return Optional.empty();
      }

      String digest = entry.getAttrsOrDefault("digest", "");
      if (digest.isEmpty()) {
        String tag = entry.getAttrsOrDefault("tag", "latest");
        if (tag.isEmpty()) {
          throw new ContentStoreException(
              "local cache importer requires either explicit digest, \"latest\" tag or custom tag on index.json");
        }
        Optional<String> found = lookUpTag(src, directory, tag);
        if (found.isEmpty()) {
          return Optional.empty();
        }
        digest = found.get();
      }

      OciLayoutStore store = stores.get(LOCAL_STORE_PREFIX + src);
      try {
        if (store == null) {
          store = OciLayoutStore.open(directory);
        }
        if (store.info(Digest.parse(digest)).isEmpty()) {
          warnings.accept("local cache import at " + src + " skipped: digest " + digest + " unavailable: not found");
          return Optional.empty();
        }
      } catch (IOException | IllegalArgumentException e) {
        warnings.accept("local cache import at " + src + " skipped: digest " + digest + " unavailable: " + e.getMessage());
        return Optional.empty();
      }
      stores.put(LOCAL_STORE_PREFIX + src, store);
      return Optional.of(digest);
    }

    private Optional<String> lookUpTag(String src, Path directory, String tag) {
      var index = new OciIndex(directory);
      Optional<ObjectNode> descriptor;
      try {
        descriptor = index.get(tag);
      } catch (NoSuchFileException e) {
        warnings.accept("local cache import at " + src + " skipped: " + index.path() + " not found");
        return Optional.empty();
      } catch (IOException e) {
        warnings.accept("local cache import at " + src + " skipped due to err: " + e.getMessage());
        return Optional.empty();
      }
      if (descriptor.isEmpty()) {
        warnings.accept("local cache import at " + src + " skipped: no digest found for tag " + tag);
        return Optional.empty();
      }
      return Optional.of(descriptor.get().path("digest").asText(""));
    }

    void addOciLayouts(Map<String, Path> layouts, List<String> duplicateKeys) throws ContentStoreException {
      if (!duplicateKeys.isEmpty()) {
        throw new ContentStoreException("oci store key \"" + duplicateKeys.get(0) + "\" already exists: give each OCI layout build context its own key");
      }
      for (Map.Entry<String, Path> layout : layouts.entrySet()) {
        openStore(OCI_STORE_PREFIX + layout.getKey(), layout.getValue(), "OCI layout folder");
      }
    }

    Path addExportDirectory(List<Path> directories) throws ContentStoreException {
      if (directories.isEmpty()) {
        return null;
      }
      if (directories.size() > 1) {
        throw new ContentStoreException(
            "only one oci or docker export with tar=false is supported per build, got " + directories
                + ": keep one, or export the others as tar files");
      }
      Path directory = directories.get(0);
      openStore(EXPORT_STORE_ID, directory, "export folder");
      return directory;
    }

    private OciLayoutStore openStore(String id, Path directory, String description) throws ContentStoreException {
      OciLayoutStore existing = stores.get(id);
      if (existing != null) {
        return existing;
      }
      try {
        OciLayoutStore store = OciLayoutStore.open(directory);
        stores.put(id, store);
        return store;
      } catch (IOException e) {
        throw new ContentStoreException("failed to create the " + description + " " + directory + ": " + e.getMessage(), e);
      }
    }

    /** Parses a boolean as Go's strconv.ParseBool does. */
    private static boolean parseBool(String value, String attribute, String flag) throws ContentStoreException {
      return switch (value) {
        case "1", "t", "T", "true", "TRUE", "True" -> true;
        case "0", "f", "F", "false", "FALSE", "False" -> false;
        default -> throw new ContentStoreException(
            "invalid " + attribute + " value \"" + value + "\" in " + flag + ": use true or false");
      };
    }
  }

  /**
   * The JSON mapper, in a class of its own so that it is initialized on first use: every build loads
   * the outer class, few need the mapper, and creating the first ObjectMapper is slow.
   */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper();
  }
}
