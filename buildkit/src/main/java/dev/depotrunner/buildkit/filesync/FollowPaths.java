package dev.depotrunner.buildkit.filesync;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves the builder's {@code followpaths} into include patterns as fsutil's {@code FollowLinks}
 * does: every path is kept, and each symbolic link met along a path adds its target, followed
 * recursively, so the receiver gets both the link and what it points to.
 */
final class FollowPaths {

  private final Path root;
  private final Set<String> resolved = new HashSet<>();

  private FollowPaths(Path root) {
    this.root = root;
  }

  /**
   * Returns the sorted, deduplicated include patterns, or null when one of them is the whole folder
   * ({@code .}), which means no filter.
   */
  static List<String> resolve(Path root, List<String> paths) throws IOException {
    FollowPaths resolver = new FollowPaths(root);
    for (String path : paths) {
      resolver.add(path);
    }
    List<String> result = new ArrayList<>(resolver.resolved);
    result.sort(GoPath::compare);
    return dedupe(result);
  }

  /**
   * Drops every path below the path kept before it; fsutil expects a sorted list, but applies this to
   * unsorted include patterns too. Returns null if any path is {@code .}.
   */
  static List<String> dedupe(List<String> paths) {
    List<String> result = new ArrayList<>(paths.size());
    String last = "";
    for (String path : paths) {
      if (path.equals(".")) {
        return null;
      }
      if (path.startsWith(last + "/")) {
        continue;
      }
      result.add(path);
      last = path;
    }
    return result;
  }

  private void add(String path) throws IOException {
    String rest = GoPath.join(".", path);
    String current = ".";
    while (true) {
      int slash = rest.indexOf('/');
      String first = slash < 0 ? rest : rest.substring(0, slash);
      current = GoPath.join(current, first);

      List<String> targets = readSymlink(current, true);
      rest = slash < 0 ? "" : rest.substring(slash + 1);

      if ((rest.isEmpty() || targets != null) && resolved.contains(current)) {
        return;
      }
      if (targets != null) {
        resolved.add(current);
        for (String target : targets) {
          add(GoPath.join(target, rest));
        }
        return;
      }
      if (rest.isEmpty()) {
        resolved.add(current);
        return;
      }
    }
  }

  /** Returns the targets of the link at {@code path} (of each link matching a wildcard), or null if none. */
  private List<String> readSymlink(String path, boolean allowWildcard) throws IOException {
    String base = GoPath.base(path);
    if (allowWildcard && containsWildcards(base)) {
      String dir = GoPath.dir(path);
      List<String> names = listNames(dir);
      if (names == null) {
        return null;
      }
      List<String> targets = null;
      for (String name : names) {
        boolean match;
        try {
          match = GoGlob.matches(base, name);
        } catch (IllegalArgumentException e) {
          // Go's Walk ignores a malformed wildcard here (filepath.Match's error is dropped).
          match = false;
        }
        if (match) {
          List<String> found = readSymlink(GoPath.join(dir, name), false);
          if (found != null) {
            if (targets == null) {
              targets = new ArrayList<>();
            }
            targets.addAll(found);
          }
        }
      }
      return targets;
    }

    if (path.equals(".") || path.equals("/") || path.equals("..") || path.startsWith("../")) {
      return null;
    }
    Path entry = root.resolve(path);
    UnixStat stat;
    try {
      stat = UnixStat.lstat(entry);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return null;
    } catch (FileSystemException e) {
      if (isNotDirectory(e)) {
        return null;
      }
      throw e;
    }
    if (!stat.isSymbolicLink()) {
      return null;
    }

    String link = GoPath.clean(Files.readSymbolicLink(entry).toString());
    if (link.startsWith("/")) {
      return List.of(link);
    }
    return List.of(GoPath.join("/", GoPath.join(GoPath.dir(path), link)));
  }

  /** Lists a directory's entry names in Go's order, or returns null if it does not exist. */
  private List<String> listNames(String dir) throws IOException {
    Path directory = dir.equals(".") ? root : root.resolve(dir);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        names.add(entry.getFileName().toString());
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new IOException("failed to read directory " + dir + " for followpaths: " + e.getMessage(), e);
    }
    names.sort(GoPath::compare);
    return names;
  }

  private static boolean containsWildcards(String name) {
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (ch == '\\') {
        i++;
      } else if (ch == '*' || ch == '?' || ch == '[') {
        return true;
      }
    }
    return false;
  }

  private static boolean isNotDirectory(FileSystemException e) {
    return e.getReason() != null && e.getReason().contains("Not a directory");
  }
}
