package dev.depotrunner.buildkit.filesync;

import dev.depotrunner.buildkit.proto.fsutil.Packet;
import dev.depotrunner.buildkit.proto.fsutil.Stat;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The receiving side of one fsutil DiffCopy transfer (fsutil {@code receive.go}) that writes into a
 * directory, merging with what is there, as BuildKit's local exporter target does on the client.
 *
 * <p>Every regular file is requested. Its content goes to a temporary file beside it that replaces the
 * destination when complete. Paths are checked before anything is written. Each must be clean and
 * relative, arrive in fsutil's order, and sit in a directory received earlier in the same stream. So
 * nothing is written outside the destination and no symbolic link is followed, while symbolic links
 * in the stream are created as links. Packets must come from one thread at a time.
 *
 * <p>Permissions, modification times and symbolic links are restored. Ownership is left to the
 * current user, as BuildKit's client does. Set-user-ID, set-group-ID and sticky bits, extended
 * attributes, device nodes and named pipes are not restored: Java's file API cannot create them.
 */
final class DiffCopyReceiver {

  private static final System.Logger LOG = System.getLogger(DiffCopyReceiver.class.getName());

  private static final Packet FIN = Packet.newBuilder().setType(Packet.PacketType.PACKET_FIN).build();

  private final Path destination;
  private final PacketChannel<?> channel;
  private final String description;
  private final OrderValidator order = new OrderValidator();
  private final Map<Integer, IncomingFile> incoming = new HashMap<>();
  private final Map<String, IncomingFile> incomingByPath = new HashMap<>();
  private final List<DirectoryMetadata> directories = new ArrayList<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private int nextId;
  private boolean allStatsReceived;
  private boolean finSent;
  private long bytesReceived;
  private long filesReceived;

  private record DirectoryMetadata(Path path, int mode, long modTimeNanos) {}

  /** A requested file whose content is arriving, and the hard links to it that wait for it. */
  private static final class IncomingFile {
    final Path target;
    final Stat stat;
    final List<Path> hardLinks = new ArrayList<>();
    Path temporary;
    FileChannel output;

    IncomingFile(Path target, Stat stat) {
      this.target = target;
      this.stat = stat;
    }
  }

  /** Thrown for a packet that breaks the protocol or cannot be applied. */
  static final class ReceiveException extends Exception {
    private static final long serialVersionUID = 1L;

    ReceiveException(String message) {
      super(message);
    }

    ReceiveException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * @param destination an existing directory to write into
   * @param channel where REQ, FIN and ERR packets go; this class never waits on it
   */
  DiffCopyReceiver(Path destination, PacketChannel<?> channel, String description) {
    this.destination = destination;
    this.channel = channel;
    this.description = description;
  }

  /** Completes once the sender has confirmed the end of the transfer, or exceptionally when it failed. */
  CompletableFuture<Void> done() {
    return done;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  long filesReceived() {
    return filesReceived;
  }

  /** Applies one packet from the sender. After a failure, later packets are ignored. */
  void onPacket(Packet packet) {
    if (done.isDone()) {
      return;
    }
    try {
      switch (packet.getType()) {
        case PACKET_STAT -> {
          if (packet.hasStat()) {
            receiveStat(packet.getStat());
          } else {
            allStatsReceived = true;
            finishIfComplete();
          }
        }
        case PACKET_DATA -> receiveData(packet);
        case PACKET_FIN -> {
          if (!finSent) {
            throw new ReceiveException("the sender ended the transfer before all files were received");
          }
          done.complete(null);
        }
        case PACKET_ERR -> fail(new ReceiveException("error from sender: " + packet.getData().toStringUtf8()), false);
        default -> throw new ReceiveException("unexpected packet type " + packet.getType());
      }
    } catch (ReceiveException e) {
      fail(e, true);
    } catch (IOException | InvalidPathException e) {
      fail(new ReceiveException("failed to write " + description + ": " + e.getMessage(), e), true);
    }
  }

  /** Ends the transfer after the sender broke off, removing partly written files. */
  void cancel(Throwable cause) {
    fail(new ReceiveException("the sender closed the stream: " + cause.getMessage(), cause), false);
  }

  private void receiveStat(Stat stat) throws ReceiveException, IOException {
    int id = nextId++;
    String path = stat.getPath();
    int mode = stat.getMode();
    boolean isDirectory = (mode & UnixStat.MODE_DIR) != 0;
    order.check(path, isDirectory);
    Path target = resolve(path);

    if (isDirectory) {
      receiveDirectory(target, stat);
    } else if ((mode & UnixStat.MODE_SYMLINK) != 0) {
      removeExisting(target);
      Files.createSymbolicLink(target, target.getFileSystem().getPath(stat.getLinkname()));
      setTimes(target, stat.getModTime(), LinkOption.NOFOLLOW_LINKS);
    } else if ((mode & (UnixStat.MODE_DEVICE | UnixStat.MODE_NAMED_PIPE)) != 0) {
      LOG.log(Level.WARNING, "skipping device or named pipe {0} in {1}: it cannot be created from Java", path, description);
    } else if (!stat.getLinkname().isEmpty()) {
      // The sender lists every stat before the data it sends on request, so a hard link's target may
      // still be arriving; its content replaces the target when complete, so the link waits for that.
      IncomingFile pending = incomingByPath.get(stat.getLinkname());
      if (pending != null) {
        pending.hardLinks.add(target);
        return;
      }
      Path existing = resolveHardLinkTarget(stat.getLinkname(), path);
      removeExisting(target);
      Files.createLink(target, existing);
    } else if (UnixStat.canRequestData(mode)) {
      IncomingFile file = new IncomingFile(target, stat);
      incoming.put(id, file);
      incomingByPath.put(path, file);
      if (!channel.sendWithoutWaiting(Packet.newBuilder().setType(Packet.PacketType.PACKET_REQ).setID(id).build())) {
        throw new ReceiveException("the stream closed while requesting " + path);
      }
    }
  }

  private void receiveDirectory(Path target, Stat stat) throws IOException {
    BasicFileAttributes existing = attributesOrNull(target);
    if (existing == null || !existing.isDirectory()) {
      if (existing != null) {
        Files.delete(target);
      }
      try {
        Files.createDirectory(target);
      } catch (FileAlreadyExistsException e) {
        // A concurrent export (one per platform) may have created it since the check.
        BasicFileAttributes created = attributesOrNull(target);
        if (created == null || !created.isDirectory()) {
          throw e;
        }
      }
    }
    // Applied at the end: a read-only directory would block its own content, and writes change mtimes.
    directories.add(new DirectoryMetadata(target, stat.getMode(), stat.getModTime()));
  }

  private void receiveData(Packet packet) throws ReceiveException, IOException {
    IncomingFile file = incoming.get(packet.getID());
    if (file == null) {
      throw new ReceiveException("invalid file request " + Integer.toUnsignedString(packet.getID()));
    }

    if (file.output == null) {
      // A random name, as concurrent exports may write into the same directory.
      file.temporary = file.target.resolveSibling(".tmp." + Long.toHexString(ThreadLocalRandom.current().nextLong()));
      file.output = FileChannel.open(file.temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
    if (!packet.getData().isEmpty()) {
      for (var buffer : packet.getData().asReadOnlyByteBufferList()) {
        while (buffer.hasRemaining()) {
          file.output.write(buffer);
        }
      }
      bytesReceived += packet.getData().size();
      return;
    }

    // An empty DATA packet ends the file.
    incoming.remove(packet.getID());
    incomingByPath.values().remove(file);
    file.output.close();
    file.output = null;
    Files.setPosixFilePermissions(file.temporary, permissions(file.stat.getMode()));
    setTimes(file.temporary, file.stat.getModTime());
    BasicFileAttributes existing = attributesOrNull(file.target);
    if (existing != null && existing.isDirectory()) {
      deleteTree(file.target);
    }
    Files.move(file.temporary, file.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    file.temporary = null;
    for (Path link : file.hardLinks) {
      removeExisting(link);
      Files.createLink(link, file.target);
    }
    filesReceived++;
    finishIfComplete();
  }

  /** Sends FIN once the file list has ended and every requested file has arrived. */
  private void finishIfComplete() throws IOException {
    if (!allStatsReceived || !incoming.isEmpty() || finSent) {
      return;
    }
    // Children before parents, so that setting a parent's mtime is the last change to it.
    for (int i = directories.size() - 1; i >= 0; i--) {
      DirectoryMetadata directory = directories.get(i);
      Files.setPosixFilePermissions(directory.path, permissions(directory.mode));
      setTimes(directory.path, directory.modTimeNanos);
    }
    directories.clear();
    finSent = true;
    channel.sendWithoutWaiting(FIN);
  }

  private void fail(ReceiveException error, boolean tellSender) {
    if (done.isDone()) {
      return;
    }
    for (IncomingFile file : incoming.values()) {
      discard(file);
    }
    incoming.clear();
    incomingByPath.clear();
    if (tellSender) {
      channel.sendWithoutWaiting(Packet.newBuilder()
          .setType(Packet.PacketType.PACKET_ERR)
          .setData(com.google.protobuf.ByteString.copyFromUtf8(error.getMessage()))
          .build());
    }
    done.completeExceptionally(error);
  }

  private static void discard(IncomingFile file) {
    try {
      if (file.output != null) {
        file.output.close();
      }
      if (file.temporary != null) {
        Files.deleteIfExists(file.temporary);
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "failed to remove partial file {0}: {1}", file.temporary, e.getMessage());
    }
  }

  private Path resolve(String path) throws ReceiveException {
    try {
      Path resolved = destination.resolve(path);
      if (!ContextWalker.fileNamesAreUtf8() && !path.chars().allMatch(c -> c < 0x80)) {
        throw new ReceiveException("cannot write " + path + ": Java encodes file names as "
            + System.getProperty("sun.jnu.encoding") + "; run with a UTF-8 locale such as LC_ALL=C.UTF-8");
      }
      return resolved;
    } catch (InvalidPathException e) {
      throw new ReceiveException("invalid path " + path + " from sender: " + e.getMessage(), e);
    }
  }

  /** Resolves a hard link's target, which must be a file received earlier, through real directories only. */
  private Path resolveHardLinkTarget(String linkname, String path) throws ReceiveException, IOException {
    if (!OrderValidator.isCleanRelative(linkname)) {
      throw new ReceiveException("invalid hard link " + path + " to " + linkname);
    }
    Path current = destination;
    String[] elements = linkname.split("/");
    for (int i = 0; i < elements.length; i++) {
      current = current.resolve(elements[i]);
      BasicFileAttributes attributes = attributesOrNull(current);
      boolean last = i == elements.length - 1;
      if (attributes == null || (last ? !attributes.isRegularFile() : !attributes.isDirectory())) {
        throw new ReceiveException("invalid hard link " + path + " to unknown path " + linkname);
      }
    }
    return current;
  }

  private static void removeExisting(Path target) throws IOException {
    BasicFileAttributes existing = attributesOrNull(target);
    if (existing == null) {
      return;
    }
    if (existing.isDirectory()) {
      deleteTree(target);
    } else {
      Files.delete(target);
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> entries = Files.walk(directory)) {
      for (Path entry : (Iterable<Path>) entries.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(entry);
      }
    }
  }

  private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static void setTimes(Path path, long modTimeNanos, LinkOption... options) {
    FileTime time = FileTime.from(modTimeNanos, TimeUnit.NANOSECONDS);
    try {
      Files.getFileAttributeView(path, BasicFileAttributeView.class, options).setTimes(time, time, null);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot set the times of a symbolic link; the content is what matters.
      LOG.log(Level.DEBUG, "failed to set times of {0}: {1}", path, e.getMessage());
    }
  }

  /** Returns the permission bits of a Go file mode. */
  static Set<PosixFilePermission> permissions(int goFileMode) {
    Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((goFileMode & (1 << bit)) != 0) {
        result.add(order[bit]);
      }
    }
    return result;
  }

  /**
   * Checks that paths arrive as fsutil's {@code Validator} requires: clean, relative, sorted within
   * each directory in Go's order, and each inside a directory that came before it.
   */
  static final class OrderValidator {
    private final List<String[]> parents = new ArrayList<>();

    OrderValidator() {
      parents.add(new String[] {"", ""});
    }

    static boolean isCleanRelative(String path) {
      return !path.isEmpty()
          && !path.equals(".")
          && path.indexOf('\0') < 0
          && GoPath.clean(path).equals(path)
          && !path.startsWith("/")
          && !path.equals("..")
          && !path.startsWith("../");
    }

    void check(String path, boolean isDirectory) throws ReceiveException {
      if (!isCleanRelative(path)) {
        throw new ReceiveException("invalid path from sender: \"" + path + "\"");
      }
      int slash = path.lastIndexOf('/');
      String dir = slash < 0 ? "" : path.substring(0, slash);
      String base = path.substring(slash + 1);

      // Return to the nearest directory on the stack that sorts at or before this path's directory.
      int i = parents.size() - 1;
      while (i > 0 && comparePath(parents.get(i)[0], dir) > 0) {
        i--;
      }
      while (parents.size() > i + 1) {
        parents.remove(parents.size() - 1);
      }
      String[] parent = parents.get(i);
      if (!dir.equals(parent[0]) || GoPath.compare(parent[1], base) >= 0) {
        throw new ReceiveException("changes out of order: \"" + path + "\" after \""
            + (parent[0].isEmpty() ? parent[1] : parent[0] + "/" + parent[1]) + "\"");
      }
      parent[1] = base;
      if (isDirectory) {
        parents.add(new String[] {path, ""});
      }
    }

    /** fsutil's {@code ComparePath}: byte order, except that {@code /} sorts before every other byte. */
    private static int comparePath(String a, String b) {
      int n = Math.min(a.length(), b.length());
      for (int i = 0; i < n; i++) {
        char x = a.charAt(i);
        char y = b.charAt(i);
        if (x == y) {
          continue;
        }
        if (x == '/') {
          return -1;
        }
        if (y == '/') {
          return 1;
        }
        return GoPath.compare(String.valueOf(x), String.valueOf(y));
      }
      return a.length() - b.length();
    }
  }
}
