package dev.depotrunner.buildkit.filesync;

import dev.depotrunner.buildkit.proto.fsutil.Stat;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a folder the way fsutil's sender does ({@code fs.Walk} under {@code filterFS.Walk}) and
 * hands each entry's {@link Stat} to a visitor in fsutil's order.
 *
 * <p>The order is depth first with the entries of each directory sorted by name in Go's byte order,
 * so {@code a/b} comes before {@code a.b}. Symbolic links are reported as links and never followed. A
 * directory that the patterns exclude is still walked when an exclusion ({@code !pattern}) could
 * re-include something inside it, and it is reported only once an entry inside it is.
 *
 * <p>Memory stays proportional to the depth of the tree and the largest directory, plus one path per
 * multiply linked file.
 */
final class ContextWalker {

  /** Receives each entry to send, in order. */
  interface Visitor {
    void visit(Stat stat) throws IOException, InterruptedException;
  }

  private static final boolean[] NO_PARENT_RESULTS = new boolean[0];
  private static final boolean UTF8_FILE_NAMES = fileNamesAreUtf8();

  private final Path root;
  private final PathFilter filter;
  private final Visitor visitor;
  private final Deque<Directory> ancestors = new ArrayDeque<>();
  // fsutil tells hard links apart by inode number alone and names the first path sent for an inode.
  private final Map<Long, String> pathsByInode = new HashMap<>();

  private ContextWalker(Path root, PathFilter filter, Visitor visitor) {
    this.root = root;
    this.filter = filter;
    this.visitor = visitor;
  }

  /** A directory on the path from the root to the current entry. */
  private static final class Directory {
    final String path;
    final UnixStat stat;
    final boolean[] includeResults;
    final boolean[] excludeResults;
    final boolean filteredOut;
    boolean sent;

    Directory(String path, UnixStat stat, boolean[] includeResults, boolean[] excludeResults, boolean filteredOut) {
      this.path = path;
      this.stat = stat;
      this.includeResults = includeResults;
      this.excludeResults = excludeResults;
      this.filteredOut = filteredOut;
    }
  }

  /**
   * Walks {@code root}, which must be a directory with symbolic links already resolved.
   *
   * @throws InvalidPatternException if a pattern turns out malformed while matching
   * @throws IOException if a directory cannot be read or a file name cannot be represented
   */
  static void walk(Path root, PathFilter filter, Visitor visitor)
      throws IOException, InvalidPatternException, InterruptedException {
    new ContextWalker(root, filter, visitor).walkDirectory(root, "");
  }

  private void walkDirectory(Path directory, String path) throws IOException, InvalidPatternException, InterruptedException {
    List<Child> children = list(directory, path);
    for (Child child : children) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      String childPath = path.isEmpty() ? child.name : path + "/" + child.name;
      UnixStat stat;
      try {
        stat = UnixStat.lstat(child.path);
      } catch (NoSuchFileException e) {
        // Removed since the directory was read.
        continue;
      }
      visit(child.path, childPath, stat);
    }
  }

  private void visit(Path file, String path, UnixStat stat) throws IOException, InvalidPatternException, InterruptedException {
    boolean isDirectory = stat.isDirectory();
    Directory parent = ancestors.peekLast();
    boolean filteredOut = false;

    boolean[] includeResults = null;
    if (filter.includes != null) {
      includeResults = new boolean[filter.includes.size()];
      boolean included = match(filter.includes, "include pattern", path,
          parent == null ? NO_PARENT_RESULTS : parent.includeResults, includeResults);
      if (!included) {
        if (isDirectory && filter.onlyPrefixIncludes && !filter.includeCouldMatchBelow(path)) {
          return;
        }
        filteredOut = true;
      }
    }

    boolean[] excludeResults = null;
    if (filter.excludes != null) {
      excludeResults = new boolean[filter.excludes.size()];
      boolean excluded = match(filter.excludes, "exclude pattern", path,
          parent == null ? NO_PARENT_RESULTS : parent.excludeResults, excludeResults);
      if (excluded) {
        if (isDirectory && filter.onlyPrefixExcludeExceptions
            && (!filter.excludes.hasExclusions() || !filter.exceptionCouldMatchBelow(path))) {
          return;
        }
        filteredOut = true;
      }
    }

    if (!filteredOut) {
      sendAncestors();
      visitor.visit(toStat(file, path, stat));
    }
    if (!isDirectory) {
      return;
    }

    Directory directory = new Directory(path, stat, includeResults, excludeResults, filteredOut);
    directory.sent = !filteredOut;
    ancestors.addLast(directory);
    try {
      walkDirectory(file, path);
    } catch (AccessDeniedException e) {
      // fsutil ignores unreadable directories that the patterns leave out anyway.
      if (!filteredOut || !directory.path.equals(pathOf(e))) {
        throw e;
      }
    } finally {
      ancestors.removeLast();
    }
  }

  private String pathOf(AccessDeniedException e) {
    return root.relativize(Path.of(e.getFile())).toString();
  }

  private static boolean match(PatternMatcher matcher, String kind, String path, boolean[] parentResults, boolean[] results)
      throws InvalidPatternException {
    try {
      return matcher.matchesUsingParentResults(path, parentResults, results);
    } catch (InvalidPatternException e) {
      throw e.withKind(kind);
    }
  }

  /** Sends the directories above the current entry that were held back because the patterns left them out. */
  private void sendAncestors() throws IOException, InterruptedException {
    for (Directory directory : ancestors) {
      if (!directory.sent) {
        directory.sent = true;
        visitor.visit(toStat(null, directory.path, directory.stat));
      }
    }
  }

  /** Builds the Stat as fsutil's {@code mkstat} and {@code setUnixOpt} do. */
  private Stat toStat(Path file, String path, UnixStat stat) throws IOException {
    Stat.Builder builder = Stat.newBuilder()
        .setPath(path)
        // fsutil clears the socket bit because Go's archive/tar cannot represent sockets.
        .setMode(stat.goFileMode() & ~UnixStat.MODE_SOCKET)
        .setUid(stat.uid())
        .setGid(stat.gid())
        .setModTime(stat.modTimeNanos());
    if (stat.isDirectory()) {
      return builder.build();
    }

    if (stat.hasDeviceNumbers()) {
      builder.setDevmajor(stat.deviceMajor()).setDevminor(stat.deviceMinor());
    }
    if (stat.linkCount() > 1) {
      String first = pathsByInode.putIfAbsent(stat.inode(), path);
      if (first != null) {
        builder.setLinkname(first);
      }
    }
    builder.setSize(stat.size());
    if (stat.isSymbolicLink()) {
      Path target = Files.readSymbolicLink(file == null ? root.resolve(path) : file);
      builder.setLinkname(target.toString());
    }
    return builder.build();
  }

  private record Child(String name, Path path) {}

  /** Lists a directory sorted by name in Go's order. */
  private List<Child> list(Path directory, String path) throws IOException {
    List<Child> children = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        Path fileName = entry.getFileName();
        String name = fileName.toString();
        checkName(fileName, name, path);
        children.add(new Child(name, entry));
      }
    }
    children.sort((a, b) -> GoPath.compare(a.name, b.name));
    return children;
  }

  /**
   * Rejects a name that Java cannot render exactly: bytes that are not UTF-8, or any non-ASCII name
   * when the JVM decodes file names with another charset (its locale is not UTF-8).
   */
  private static void checkName(Path fileName, String name, String directory) throws IOException {
    boolean exact;
    if (UTF8_FILE_NAMES) {
      // Java decodes invalid UTF-8 to U+FFFD, so only such names need the slower round trip.
      exact = name.indexOf('\uFFFD') < 0 || fileName.equals(fileName.getFileSystem().getPath(name));
    } else {
      exact = name.chars().allMatch(c -> c < 0x80);
    }
    if (!exact) {
      String where = directory.isEmpty() ? "the top folder" : "folder " + directory;
      throw new IOException(UTF8_FILE_NAMES
          ? "a file name in " + where + " is not valid UTF-8 (shown as \"" + name + "\"); rename it"
          : "a file name in " + where + " is not ASCII but Java decodes file names as "
              + System.getProperty("sun.jnu.encoding") + "; run with a UTF-8 locale such as LC_ALL=C.UTF-8");
    }
  }

  static boolean fileNamesAreUtf8() {
    String encoding = System.getProperty("sun.jnu.encoding");
    try {
      return encoding == null || Charset.forName(encoding).equals(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
