package dev.depotrunner.buildkit.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One write transaction on an {@link OciLayoutStore}: appends to the ingest's data file while hashing,
 * then commits the data as a blob. Holds its ref's lock until {@link #commit} or {@link #close}. Close
 * keeps the ingest so that a later writer with the same ref resumes it.
 *
 * <p>Not safe for concurrent use, because the Content service drives each writer from one stream.
 */
final class BlobWriter implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BlobWriter.class.getName());

  private final OciLayoutStore store;
  private final String ref;
  private final Path ingest;
  private final Instant startedAt;
  private String algorithm;
  private MessageDigest hash;
  private FileChannel data;
  private long offset;
  private long total;
  private Instant updatedAt;

  BlobWriter(
      OciLayoutStore store,
      String ref,
      Path ingest,
      FileChannel data,
      String algorithm,
      MessageDigest hash,
      long offset,
      long total,
      Instant startedAt,
      Instant updatedAt) {
    this.store = store;
    this.ref = ref;
    this.ingest = ingest;
    this.data = data;
    this.algorithm = algorithm;
    this.hash = hash;
    this.offset = offset;
    this.total = total;
    this.startedAt = startedAt;
    this.updatedAt = updatedAt;
  }

  IngestStatus status() {
    return new IngestStatus(ref, offset, total, startedAt, updatedAt);
  }

  /** Returns the digest of the bytes written so far. */
  Digest digest() {
    try {
      return Digest.of(algorithm, (MessageDigest) hash.clone());
    } catch (CloneNotSupportedException e) {
      // The JDK's SHA-2 implementations are cloneable.
      throw new IllegalStateException(e);
    }
  }

  /** Appends {@code bytes} at the current offset. */
  void write(ByteBuffer bytes) throws IOException {
    FileChannel channel = requireOpen();
    ByteBuffer forHash = bytes.duplicate();
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
    offset += forHash.remaining();
    hash.update(forHash);
    updatedAt = Instant.now();
  }

  /** Drops everything written so far. Only a reset to offset 0 is supported, as in containerd. */
  void truncate(long size) throws IOException {
    if (size != 0) {
      throw new StoreException(StoreException.Kind.OUT_OF_RANGE, "truncate to " + size + " is not supported, only to 0");
    }
    FileChannel channel = requireOpen();
    channel.truncate(0);
    channel.position(0);
    hash.reset();
    offset = 0;
  }

  /**
   * Verifies the data and moves it into the store as a blob, then releases the ref.
   *
   * @param size the expected size, or 0 or less to skip the check
   * @param expected the expected digest, or null to skip the check
   * @throws StoreException failed precondition if size or digest differ, or already exists if
   *     another writer committed the same blob first, in which case this ingest is removed
   */
  Digest commit(long size, Digest expected) throws IOException {
    try {
      return commitLocked(size, expected);
    } finally {
      store.unlock(ref);
    }
  }

  private Digest commitLocked(long size, Digest expected) throws IOException {
    FileChannel channel = data;
    data = null;
    if (channel == null) {
      throw StoreException.failedPrecondition("cannot commit on closed writer");
    }

    long written;
    try (channel) {
      channel.force(true);
      written = channel.size();
    }
    if (size > 0 && size != written) {
      throw StoreException.failedPrecondition("unexpected commit size " + written + ", expected " + size);
    }

    Path dataPath = ingest.resolve("data");
    if (expected != null && !expected.algorithm().equals(algorithm)) {
      // The writer was opened without the expected digest, so the data is hashed again with its algorithm.
      algorithm = expected.algorithm();
      hash = Digest.newMessageDigest(algorithm);
      hashFile(dataPath, hash);
    }
    Digest actual = digest();
    if (expected != null && !expected.equals(actual)) {
      throw StoreException.failedPrecondition("unexpected commit digest " + actual + ", expected " + expected);
    }

    Path target = store.blobPath(actual);
    Files.createDirectories(target.getParent());
    publish(dataPath, target, actual);
    syncDirectory(target.getParent());
    finishBlob(target);
    OciLayoutStore.deleteRecursively(ingest);
    return actual;
  }

  /**
   * Puts the data at its blob path without replacing a blob another writer committed meanwhile: a hard
   * link fails if the target exists. File systems without hard links fall back to a rename.
   */
  private void publish(Path dataPath, Path target, Digest digest) throws IOException {
    try {
      Files.createLink(target, dataPath);
      return;
    } catch (FileAlreadyExistsException e) {
      OciLayoutStore.deleteRecursively(ingest);
      throw StoreException.alreadyExists("content " + digest + ": already exists");
    } catch (UnsupportedOperationException | IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "hard link into {0} failed, renaming instead: {1}", target, e);
    }

    if (Files.exists(target)) {
      OciLayoutStore.deleteRecursively(ingest);
      throw StoreException.alreadyExists("content " + digest + ": already exists");
    }
    Files.move(dataPath, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Stamps the commit time and drops write and execute permissions, as containerd does. Failures only lose metadata. */
  private static void finishBlob(Path target) {
    FileTime now = FileTime.from(Instant.now());
    try {
      Files.getFileAttributeView(target, BasicFileAttributeView.class).setTimes(now, now, null);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "could not set the commit time of {0}: {1}", target, e.getMessage());
    }

    PosixFileAttributeView posix = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    if (posix == null) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = EnumSet.copyOf(posix.readAttributes().permissions());
      permissions.retainAll(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
      posix.setPermissions(permissions);
    } catch (IOException | IllegalArgumentException e) {
      LOG.log(System.Logger.Level.WARNING, "could not make {0} read-only: {1}", target, e.getMessage());
    }
  }

  /** Makes the new directory entry durable where the platform can open a directory, else durability is weaker. */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "could not sync {0}: {1}", directory, e.getMessage());
    }
  }

  /** Closes the data file and releases the ref, keeping the ingest for a resume. Does nothing after commit. */
  @Override
  public void close() throws IOException {
    FileChannel channel = data;
    if (channel == null) {
      return;
    }
    data = null;
    try (channel) {
      channel.force(false);
      OciLayoutStore.writeAtomically(ingest.resolve("updatedat"), OciLayoutStore.formatTimestamp(updatedAt));
    } finally {
      store.unlock(ref);
    }
  }

  private FileChannel requireOpen() throws StoreException {
    if (data == null) {
      throw StoreException.failedPrecondition("writer for ref " + ref + " is closed");
    }
    return data;
  }

  /** Feeds a file through {@code hash} and returns its length. */
  static long hashFile(Path path, MessageDigest hash) throws IOException {
    byte[] buffer = new byte[1 << 20];
    long length = 0;
    try (InputStream input = Files.newInputStream(path)) {
      int read;
      while ((read = input.read(buffer)) > 0) {
        hash.update(buffer, 0, read);
        length += read;
      }
    }
    return length;
  }
}
