package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One bake target: the settings of one image build, with buildx's fields. A field that is null is not
 * set, which matters when targets merge: a set field of a later file or child overrides, an unset one
 * keeps the earlier value.
 *
 * <p>Targets read from files keep where they were defined, for error messages. After resolution the
 * target has no {@code inherits}, a {@code context} and a {@code dockerfile}.
 */
public final class BakeTarget {

  final String name;
  String file;
  int line;
  int column;

  String description;
  List<String> inherits;
  List<String> annotations;
  List<AttestEntry> attest;
  String context;
  Map<String, String> contexts;
  String dockerfile;
  String dockerfileInline;
  Map<String, String> args;
  Map<String, String> labels;
  List<String> tags;
  List<CacheEntry> cacheFrom;
  List<CacheEntry> cacheTo;
  String target;
  List<SecretEntry> secrets;
  List<SshEntry> ssh;
  List<String> platforms;
  List<ExportEntry> outputs;
  Boolean pull;
  Boolean noCache;
  String network;
  List<String> noCacheFilter;
  String shmSize;
  List<String> ulimits;
  String call;
  List<String> entitlements;
  Map<String, String> extraHosts;
  String projectId;

  /** Whether the target is built only because another target names it in a {@code target:} context. */
  boolean linked;

  BakeTarget(String name) {
    this.name = name;
  }

  BakeTarget at(String file, int line, int column) {
    this.file = file;
    this.line = line;
    this.column = column;
    return this;
  }

  public String name() {
    return name;
  }

  /** The Depot project of this target ({@code x-depot.project-id} or {@code project_id}), if set. */
  public Optional<String> projectId() {
    return Optional.ofNullable(projectId).filter(id -> !id.isEmpty());
  }

  /** Whether this target is built only as the {@code target:} context of another target. */
  public boolean linked() {
    return linked;
  }

  /** The names of the targets this one uses through {@code target:NAME} contexts, in context order. */
  public List<String> linkedTargets() {
    List<String> names = new ArrayList<>();
    if (contexts != null) {
      for (String value : contexts.values()) {
        if (value.startsWith("target:") && !names.contains(value.substring("target:".length()))) {
          names.add(value.substring("target:".length()));
        }
      }
    }
    return names;
  }

  /** Returns a deep copy with another name and no position. */
  BakeTarget copy(String newName) {
    BakeTarget copy = new BakeTarget(newName);
    copy.file = file;
    copy.line = line;
    copy.column = column;
    copy.merge(this);
    copy.inherits = inherits == null ? null : new ArrayList<>(inherits);
    copy.linked = linked;
    return copy;
  }

  /**
   * Merges {@code other} into this target, as buildx merges a later definition into an earlier one: set
   * scalars replace, {@code args}, {@code labels}, {@code contexts} and {@code extra-hosts} merge by key,
   * {@code tags}, {@code platforms}, {@code cache-to}, {@code output} and {@code shm-size} replace, and the
   * other lists append.
   */
  void merge(BakeTarget other) {
    if (other.context != null) {
      context = other.context;
    }
    if (other.dockerfile != null) {
      dockerfile = other.dockerfile;
    }
    if (other.dockerfileInline != null) {
      dockerfileInline = other.dockerfileInline;
    }
    args = mergeMap(args, other.args);
    contexts = mergeMap(contexts, other.contexts);
    labels = mergeMap(labels, other.labels);
    if (other.tags != null) {
      tags = new ArrayList<>(other.tags);
    }
    if (other.target != null) {
      target = other.target;
    }
    if (other.call != null) {
      call = other.call;
    }
    annotations = append(annotations, other.annotations);
    if (other.attest != null) {
      attest = AttestEntry.merge(attest, other.attest);
    }
    if (other.secrets != null) {
      secrets = SecretEntry.merge(secrets, other.secrets);
    }
    if (other.ssh != null) {
      ssh = SshEntry.merge(ssh, other.ssh);
    }
    if (other.platforms != null) {
      platforms = new ArrayList<>(other.platforms);
    }
    if (other.cacheFrom != null) {
      cacheFrom = CacheEntry.merge(cacheFrom, other.cacheFrom);
    }
    if (other.cacheTo != null) {
      cacheTo = new ArrayList<>(other.cacheTo);
    }
    if (other.outputs != null) {
      outputs = new ArrayList<>(other.outputs);
    }
    if (other.pull != null) {
      pull = other.pull;
    }
    if (other.noCache != null) {
      noCache = other.noCache;
    }
    if (other.network != null) {
      network = other.network;
    }
    noCacheFilter = append(noCacheFilter, other.noCacheFilter);
    if (other.shmSize != null) {
      shmSize = other.shmSize;
    }
    ulimits = append(ulimits, other.ulimits);
    if (other.description != null && !other.description.isEmpty()) {
      description = other.description;
    }
    entitlements = append(entitlements, other.entitlements);
    extraHosts = mergeMap(extraHosts, other.extraHosts);
    if (other.projectId != null && !other.projectId.isEmpty()) {
      projectId = other.projectId;
    }
    inherits = append(inherits, other.inherits);
  }

  private static Map<String, String> mergeMap(Map<String, String> into, Map<String, String> from) {
    if (from == null) {
      return into;
    }
    for (var entry : from.entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      if (into == null) {
        into = new LinkedHashMap<>();
      }
      into.put(entry.getKey(), entry.getValue());
    }
    return into;
  }

  private static List<String> append(List<String> into, List<String> from) {
    if (from == null) {
      return into;
    }
    List<String> result = into == null ? new ArrayList<>() : new ArrayList<>(into);
    result.addAll(from);
    return result;
  }

  /**
   * Removes duplicates and empty values from the lists, adds the {@code network.host} entitlement that
   * {@code network = "host"} needs, and drops contexts with empty values, as buildx does after resolving.
   */
  void normalize() {
    annotations = withoutDuplicates(annotations);
    attest = AttestEntry.normalize(attest);
    tags = withoutDuplicates(tags);
    secrets = SecretEntry.normalize(secrets);
    ssh = SshEntry.normalize(ssh);
    platforms = withoutDuplicates(platforms);
    cacheFrom = CacheEntry.normalize(cacheFrom);
    cacheTo = CacheEntry.normalize(cacheTo);
    outputs = ExportEntry.normalize(outputs);
    noCacheFilter = withoutDuplicates(noCacheFilter);
    ulimits = withoutDuplicates(ulimits);
    if ("host".equals(network)) {
      entitlements = append(entitlements, List.of("network.host"));
    }
    entitlements = withoutDuplicates(entitlements);
    if (contexts != null) {
      contexts.values().removeIf(String::isEmpty);
      if (contexts.isEmpty()) {
        contexts = null;
      }
    }
  }

  private static List<String> withoutDuplicates(List<String> values) {
    if (values == null) {
      return null;
    }
    List<String> unique = new ArrayList<>();
    for (String value : values) {
      if (!value.isEmpty() && !unique.contains(value)) {
        unique.add(value);
      }
    }
    return unique;
  }

  /** Returns {@code file:line:column} when the target came from a file, else the file or nothing. */
  String position() {
    if (file == null) {
      return "";
    }
    return line > 0 ? file + ":" + line + ":" + column : file;
  }

  BakeFileException error(String message) {
    if (file == null) {
      return new BakeFileException(null, message);
    }
    if (line > 0) {
      return new BakeFileException(file, line, column, message);
    }
    return new BakeFileException(file, message);
  }
}
