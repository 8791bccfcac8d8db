package dev.depotrunner.buildkit.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A content store on a folder in the layout of containerd's local store, which is also the OCI image
 * layout: committed blobs at {@code blobs/<algorithm>/<hex>}, unfinished writes under
 * {@code ingest/<sha256 of ref>/}. The {@code index.json} and {@code oci-layout} files are written
 * separately, after a Solve.
 *
 * <p>Writes go to an ingest folder, are verified against the expected size and digest on commit and
 * then appear under {@code blobs/} in one atomic step. Writers with different refs run concurrently,
 * but a second writer on a ref that is in use fails as unavailable. An ingest left by a broken stream is
 * resumed by the next writer with the same ref.
 */
public final class OciLayoutStore {

  private static final System.Logger LOG = System.getLogger(OciLayoutStore.class.getName());

  private final Path root;
  private final Map<String, Instant> lockedRefs = new ConcurrentHashMap<>();

  private OciLayoutStore(Path root) {
    this.root = root;
  }

  /** Opens the store at {@code root}, creating the folder if it is missing. */
  public static OciLayoutStore open(Path root) throws IOException {
    Files.createDirectories(root);
    return new OciLayoutStore(root);
  }

  public Path root() {
    return root;
  }

  /** Returns the blob's size and times, or empty if the store lacks it. */
  public Optional<BlobInfo> info(Digest digest) throws IOException {
    try {
      return Optional.of(requireInfo(digest));
    } catch (StoreException e) {
      if (e.kind() == StoreException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Reads a whole blob into memory, so it suits manifests and indexes, not layers. */
  public byte[] readBlob(Digest digest) throws IOException {
    try {
      return Files.readAllBytes(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw StoreException.notFound("content " + digest + ": not found");
    }
  }

  BlobInfo requireInfo(Digest digest) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(blobPath(digest), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw StoreException.notFound("content " + digest + ": not found");
    }
    return blobInfo(digest, attributes);
  }

  /** Opens a committed blob for reading at any position. */
  FileChannel openBlob(Digest digest) throws IOException {
    try {
      return FileChannel.open(blobPath(digest), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw StoreException.notFound("content " + digest + ": not found");
    }
  }

  /** Rejects every update, because labels need a label database that this store, like containerd's local store opened without one, lacks. */
  BlobInfo update(Digest digest) throws StoreException {
    throw StoreException.failedPrecondition(
        "update of " + digest + " not supported on immutable content store");
  }

  /** Calls {@code visitor} with every committed blob that matches {@code filters}. */
  void walk(Filters filters, BlobVisitor visitor) throws IOException {
    Path blobs = root.resolve("blobs");
    if (!Files.isDirectory(blobs)) {
      return;
    }

    try (DirectoryStream<Path> algorithms = Files.newDirectoryStream(blobs, Files::isDirectory)) {
      for (Path algorithmDirectory : algorithms) {
        String algorithm = algorithmDirectory.getFileName().toString();
        if (Digest.isSupported(algorithm)) {
          walkAlgorithm(algorithmDirectory, algorithm, filters, visitor);
        }
      }
    }
  }

  private void walkAlgorithm(Path directory, String algorithm, Filters filters, BlobVisitor visitor)
      throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        Digest digest;
        try {
          digest = new Digest(algorithm, file.getFileName().toString());
        } catch (IllegalArgumentException e) {
          LOG.log(System.Logger.Level.WARNING, "skipping {0}: not a blob named by its digest", file);
          continue;
        }

        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue; // deleted while walking
        }

        BlobInfo info = blobInfo(digest, attributes);
        if (filters.matches(fieldPath -> blobField(info, fieldPath))) {
          visitor.visit(info);
        }
      }
    }
  }

  private static Optional<String> blobField(BlobInfo info, List<String> fieldPath) {
    if (fieldPath.isEmpty()) {
      return Optional.empty();
    }
    return switch (fieldPath.get(0)) {
      case "digest" -> Optional.of(info.digest().toString());
      case "labels" -> Optional.ofNullable(info.labels().get(String.join(".", fieldPath.subList(1, fieldPath.size()))));
      default -> Optional.empty();
    };
  }

  void delete(Digest digest) throws IOException {
    if (!Files.deleteIfExists(blobPath(digest))) {
      throw StoreException.notFound("content " + digest + ": not found");
    }
  }

  /** Returns the state of the unfinished write named by {@code ref}. */
  IngestStatus status(String ref) throws IOException {
    return status(ingestPath(ref));
  }

  /** Returns the unfinished writes whose ref matches {@code filters}. */
  List<IngestStatus> listStatuses(Filters filters) throws IOException {
    Path ingests = root.resolve("ingest");
    if (!Files.isDirectory(ingests)) {
      return List.of();
    }

    List<IngestStatus> statuses = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(ingests)) {
      for (Path entry : entries) {
        IngestStatus status;
        try {
          status = status(entry);
        } catch (StoreException e) {
          if (e.kind() != StoreException.Kind.NOT_FOUND) {
            throw e;
          }
          continue; // committed or aborted while listing
        }
        if (filters.matches(fieldPath -> statusField(status, fieldPath))) {
          statuses.add(status);
        }
      }
    }
    return statuses;
  }

  private static Optional<String> statusField(IngestStatus status, List<String> fieldPath) {
    if (fieldPath.size() == 1 && fieldPath.get(0).equals("ref")) {
      return Optional.of(status.ref());
    }
    return Optional.empty();
  }

  /**
   * Starts or resumes the write named by {@code ref}. The writer locks the ref until it is committed or
   * closed.
   *
   * @param total the expected size, or 0 if unknown
   * @param expected the expected digest, or null if unknown. If the store already has that blob, the
   *     call fails as already existing
   */
  BlobWriter writer(String ref, long total, Digest expected) throws IOException {
    if (ref.isEmpty()) {
      throw StoreException.invalidArgument("ref must not be empty");
    }
    lock(ref);
    try {
      return openWriter(ref, total, expected);
    } catch (IOException | RuntimeException e) {
      unlock(ref);
      throw e;
    }
  }

  private BlobWriter openWriter(String ref, long total, Digest expected) throws IOException {
    if (expected != null && Files.exists(blobPath(expected))) {
      throw StoreException.alreadyExists("content " + expected + ": already exists");
    }

    String algorithm = expected != null ? expected.algorithm() : Digest.SHA256;
    Path ingest = ingestPath(ref);
    Files.createDirectories(ingest.getParent());

    if (Files.isDirectory(ingest)) {
      try {
        return resume(ref, ingest, total, algorithm);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.INFO, "restarting write {0}: cannot resume it: {1}", ref, e.getMessage());
      }
    } else {
      Files.createDirectories(ingest);
    }
    return start(ref, ingest, total, algorithm);
  }

  private BlobWriter start(String ref, Path ingest, long total, String algorithm) throws IOException {
    Instant now = Instant.now();
    writeAtomically(ingest.resolve("ref"), ref);
    writeAtomically(ingest.resolve("startedat"), formatTimestamp(now));
    writeAtomically(ingest.resolve("updatedat"), formatTimestamp(now));
    if (total > 0) {
      writeAtomically(ingest.resolve("total"), Long.toString(total));
    } else {
      Files.deleteIfExists(ingest.resolve("total"));
    }

    FileChannel data = FileChannel.open(
        ingest.resolve("data"), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    return new BlobWriter(this, ref, ingest, data, algorithm, Digest.newMessageDigest(algorithm), 0, total, now, now);
  }

  private BlobWriter resume(String ref, Path ingest, long total, String algorithm) throws IOException {
    IngestStatus status = status(ingest);
    if (!status.ref().equals(ref)) {
      throw new IOException("ref key does not match: " + ref + " != " + status.ref());
    }
    if (total > 0 && status.total() > 0 && total != status.total()) {
      throw new IOException("provided total differs from status: " + total + " != " + status.total());
    }

    // The hash state is not saved between streams, so the data written so far is read once more.
    var hash = Digest.newMessageDigest(algorithm);
    Path dataPath = ingest.resolve("data");
    long offset = BlobWriter.hashFile(dataPath, hash);

    FileChannel data = FileChannel.open(dataPath, StandardOpenOption.WRITE);
    data.position(offset);
    return new BlobWriter(this, ref, ingest, data, algorithm, hash, offset, status.total(), status.startedAt(), status.updatedAt());
  }

  /** Removes the unfinished write named by {@code ref} and its data. */
  void abort(String ref) throws IOException {
    Path ingest = ingestPath(ref);
    if (!Files.exists(ingest)) {
      throw StoreException.notFound("ingest ref \"" + ref + "\": not found");
    }
    deleteRecursively(ingest);
  }

  private IngestStatus status(Path ingest) throws IOException {
    BasicFileAttributes data;
    String ref;
    try {
      data = Files.readAttributes(ingest.resolve("data"), BasicFileAttributes.class);
      ref = Files.readString(ingest.resolve("ref"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw StoreException.notFound(e.getFile() + ": not found");
    }

    Instant startedAt = readTimestamp(ingest.resolve("startedat"));
    Instant updatedAt = readTimestamp(ingest.resolve("updatedat"));
    // updatedat is written when a writer closes, so the data file's time may be newer.
    Instant modified = data.lastModifiedTime().toInstant();
    if (modified.isAfter(updatedAt)) {
      updatedAt = modified;
    }
    return new IngestStatus(ref, data.size(), readTotal(ingest), startedAt, updatedAt);
  }

  private static long readTotal(Path ingest) {
    try {
      return Long.parseLong(Files.readString(ingest.resolve("total"), StandardCharsets.UTF_8).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.encoded());
  }

  /** Returns the ingest folder, named by the ref's sha256 so that any ref gives a fixed-length, safe name. */
  private Path ingestPath(String ref) {
    return root.resolve("ingest").resolve(Digest.sha256(ref.getBytes(StandardCharsets.UTF_8)).encoded());
  }

  private void lock(String ref) throws StoreException {
    Instant now = Instant.now();
    Instant since = lockedRefs.putIfAbsent(ref, now);
    if (since != null) {
      throw new StoreException(
          StoreException.Kind.UNAVAILABLE,
          "ref " + ref + " locked for " + Duration.between(since, now) + " (since " + since + ")");
    }
  }

  void unlock(String ref) {
    lockedRefs.remove(ref);
  }

  private static BlobInfo blobInfo(Digest digest, BasicFileAttributes attributes) {
    return new BlobInfo(
        digest,
        attributes.size(),
        attributes.lastModifiedTime().toInstant(),
        attributes.lastAccessTime().toInstant(),
        Map.of());
  }

  /** Writes a small file by renaming a finished temporary file over it, so readers see old or new. */
  static void writeAtomically(Path path, String content) throws IOException {
    Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    Files.move(temporary, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Formats as Go's time.MarshalText does (RFC 3339 with nanoseconds), so containerd can resume our ingests. */
  static String formatTimestamp(Instant instant) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  private static Instant readTimestamp(Path path) throws IOException {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw StoreException.notFound(path + ": not found");
    }
    try {
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new IOException("could not parse timestamp file " + path + ": " + e.getMessage(), e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path entry : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(entry);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Receives each blob of a walk. */
  @FunctionalInterface
  interface BlobVisitor {
    void visit(BlobInfo info) throws IOException;
  }
}
