package dev.depotrunner.buildkit.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code index.json} of an OCI image layout folder, read and updated as BuildKit's client
 * (client/ociindex) does: entries are named by the {@code org.opencontainers.image.ref.name}
 * annotation (and {@code io.containerd.image.name} for full image names), a new entry replaces one
 * with the same names, and every access holds {@code index.json.lock}.
 */
final class OciIndex {

  static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
  static final String IMAGE_NAME_ANNOTATION = "io.containerd.image.name";
  static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ConcurrentHashMap<Path, ReentrantLock> PROCESS_LOCKS = new ConcurrentHashMap<>();
  private static final long LOCK_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(30);
  private static final long LOCK_POLL_MILLIS = 50;

  /** A name for an index entry: a bare tag, or a full image name whose tag becomes the ref name. */
  record Name(String value, boolean isTag) {
    static Name tag(String tag) {
      return new Name(tag, true);
    }

    static Name image(String name) {
      return new Name(name, false);
    }
  }

  private final Path indexPath;
  private final Path lockPath;
  private final Path layoutPath;

  OciIndex(Path layoutRoot) {
    this.indexPath = layoutRoot.resolve("index.json");
    this.lockPath = layoutRoot.resolve("index.json.lock");
    this.layoutPath = layoutRoot.resolve("oci-layout");
  }

  Path path() {
    return indexPath;
  }

  /** Reads the index, or throws {@link NoSuchFileException} if the folder has none. */
  ObjectNode read() throws IOException {
    return withLock(true, this::readUnlocked);
  }

  /**
   * Returns the entry named {@code tag}: first by full image name, then by ref name, as BuildKit
   * looks up a local cache's tag.
   */
  Optional<ObjectNode> get(String tag) throws IOException {
    ArrayNode manifests = manifests(read());
    for (String annotation : List.of(IMAGE_NAME_ANNOTATION, REF_NAME_ANNOTATION)) {
      for (JsonNode manifest : manifests) {
        if (tag.equals(manifest.path("annotations").path(annotation).textValue())) {
          return Optional.of((ObjectNode) manifest);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Adds {@code descriptor} under each of {@code names}, replacing entries with the same names, and
   * writes the {@code oci-layout} file. With no names the descriptor is appended unnamed.
   */
  void put(ObjectNode descriptor, List<Name> names) throws IOException {
    withLock(false, () -> {
      Files.writeString(layoutPath, "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);

      ObjectNode index = readForUpdate();
      if (names.isEmpty()) {
        manifests(index).add(descriptor.deepCopy());
      }
      for (Name name : names) {
        insert(index, descriptor, name);
      }

      OciLayoutStore.writeAtomically(indexPath, JSON.writeValueAsString(index));
      return null;
    });
  }

  private ObjectNode readUnlocked() throws IOException {
    byte[] bytes = Files.readAllBytes(indexPath);
    return parse(bytes);
  }

  private ObjectNode readForUpdate() throws IOException {
    ObjectNode index;
    byte[] bytes = Files.exists(indexPath) ? Files.readAllBytes(indexPath) : new byte[0];
    index = bytes.length == 0 ? JSON.createObjectNode() : parse(bytes);

    if (index.path("schemaVersion").asInt(0) == 0) {
      index.put("schemaVersion", 2);
    }
    if (index.path("mediaType").asText("").isEmpty()) {
      index.put("mediaType", INDEX_MEDIA_TYPE);
    }
    manifests(index);
    return index;
  }

  private ObjectNode parse(byte[] bytes) throws IOException {
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new IOException(indexPath + " is not a JSON object");
    } catch (JsonProcessingException e) {
      throw new IOException("could not parse " + indexPath + ": " + e.getOriginalMessage(), e);
    }
  }

  private static ArrayNode manifests(ObjectNode index) {
    JsonNode manifests = index.get("manifests");
    if (manifests instanceof ArrayNode array) {
      return array;
    }
    return index.putArray("manifests");
  }

  private static void insert(ObjectNode index, ObjectNode descriptor, Name name) {
    ObjectNode entry = descriptor.deepCopy();
    JsonNode existing = entry.get("annotations");
    ObjectNode annotations = existing instanceof ObjectNode object ? object : entry.putObject("annotations");

    String imageName = name.isTag() ? "" : name.value();
    String refName = name.isTag() ? name.value() : referenceName(name.value());
    if (!imageName.isEmpty()) {
      annotations.put(IMAGE_NAME_ANNOTATION, imageName);
    }
    annotations.put(REF_NAME_ANNOTATION, refName);

    ArrayNode manifests = manifests(index);
    ArrayNode kept = JSON.createArrayNode();
    for (JsonNode manifest : manifests) {
      JsonNode otherAnnotations = manifest.path("annotations");
      boolean sameName = refName.equals(otherAnnotations.path(REF_NAME_ANNOTATION).asText(""))
          && imageName.equals(otherAnnotations.path(IMAGE_NAME_ANNOTATION).asText(""));
      if (!sameName) {
        kept.add(manifest);
      }
    }
    kept.add(entry);
    index.set("manifests", kept);
  }

  /**
   * Returns the OCI ref name for a full image name: its tag (or {@code @digest}), as containerd's
   * reference.Parse splits it, for example {@code latest} for {@code docker.io/library/app:latest}.
   */
  static String referenceName(String name) {
    // NOTE: Names without a '/' keep only Go's common outcomes: "host" or "host:port" gives "",
    // anything else the whole name. The OCI exporter always reports normalized names with a '/'.
    if (name.contains("://")) {
      return name;
    }
    int slash = name.indexOf('/');
    if (slash < 0) {
      int colon = name.lastIndexOf(':');
      boolean portOnly = colon < 0 || name.substring(colon + 1).chars().allMatch(Character::isDigit);
      return portOnly && !name.isEmpty() ? "" : name;
    }
    if (slash == 0) {
      return name;
    }

    String path = name.substring(slash);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == ':') {
        return path.substring(i + 1);
      }
      if (c == '@') {
        return path.substring(i);
      }
    }
    return "";
  }

  @FunctionalInterface
  private interface LockedAction<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code action} holding this process's lock for the folder and a file lock on {@code
   * index.json.lock}, waiting up to 30 seconds for another holder. The lock file is removed after, as
   * BuildKit does. A reader that cannot create the lock file reads without it.
   */
  private <T> T withLock(boolean shared, LockedAction<T> action) throws IOException {
    // NOTE: Java file locks are POSIX record locks, which do not exclude the flock(2) locks that
    // BuildKit's Go client takes on the same file, so only Java processes exclude each other.
    ReentrantLock processLock = PROCESS_LOCKS.computeIfAbsent(indexPath.toAbsolutePath().normalize(), path -> new ReentrantLock());
    processLock.lock();
    try {
      FileChannel channel;
      try {
        channel = shared
            ? FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)
            : FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (FileSystemException e) {
        // A missing or read-only folder: reading still works, or fails with the reason itself.
        if (shared) {
          return action.run();
        }
        throw new IOException("could not lock " + lockPath + ": " + e.getMessage(), e);
      }

      try (channel; FileLock lock = acquire(channel, shared)) {
        return action.run();
      } finally {
        Files.deleteIfExists(lockPath);
      }
    } finally {
      processLock.unlock();
    }
  }

  private FileLock acquire(FileChannel channel, boolean shared) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCK_TIMEOUT_MILLIS);
    while (true) {
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "could not lock " + lockPath + ": another process has held it for 30 seconds; retry when it finishes");
      }
      try {
        Thread.sleep(LOCK_POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + lockPath, e);
      }
    }
  }
}
