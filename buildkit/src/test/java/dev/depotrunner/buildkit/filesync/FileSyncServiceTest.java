package dev.depotrunner.buildkit.filesync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.buildkit.proto.fsutil.Stat;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSyncServiceTest {

  @TempDir Path temp;
  private Path context;
  private InProcessServer server;
  private SyncClient client;

  @BeforeEach
  void start() throws IOException {
    context = Files.createDirectory(temp.resolve("context"));
    server = new InProcessServer(FileSyncService.of(Map.of("context", context, "outside", temp.resolve("missing"))));
    client = new SyncClient(server.channel);
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  private void write(String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void createPatternTree() throws IOException {
    for (String path : List.of(
        "Dockerfile", ".dockerignore", "README.md", "a/b.txt", "a.b", "a/c/d.txt",
        "node_modules/x/index.js", "node_modules/keep/keep.js",
        "src/main.go", "src/main_test.go", "src/vendor/lib.go",
        "docs/[draft].md", "docs/d.md", "docs/file(1).txt", "docs/a+b.txt",
        "build/out.bin", "build/logs/2024/app.log", "build/logs/2024/app.txt")) {
      write(path, path);
    }
    Files.createDirectories(context.resolve("tmp"));
  }

  private List<String> sentPaths(List<String> includes, List<String> excludes) throws Exception {
    SyncClient.Result result = client.receive(
        SyncClient.headers("context", includes, excludes, List.of()), Files.createTempDirectory(temp, "out"));
    assertNull(result.error(), () -> "transfer failed: " + result.error());
    return result.paths();
  }

  private List<String> excluding(String... patterns) throws Exception {
    return sentPaths(List.of(), List.of(patterns));
  }

  @Test
  void walkOrderIsGoOrder() throws Exception {
    createPatternTree();
    List<String> paths = excluding();
    assertEquals(List.of(
        ".dockerignore", "Dockerfile", "README.md",
        "a", "a/b.txt", "a/c", "a/c/d.txt", "a.b",
        "build", "build/logs", "build/logs/2024", "build/logs/2024/app.log", "build/logs/2024/app.txt", "build/out.bin",
        "docs", "docs/[draft].md", "docs/a+b.txt", "docs/d.md", "docs/file(1).txt",
        "node_modules", "node_modules/keep", "node_modules/keep/keep.js", "node_modules/x", "node_modules/x/index.js",
        "src", "src/main.go", "src/main_test.go", "src/vendor", "src/vendor/lib.go",
        "tmp"), paths);
  }

  @Test
  void excludedFolderIsSkipped() throws Exception {
    createPatternTree();
    List<String> paths = excluding("node_modules", "build");
    assertFalse(paths.stream().anyMatch(p -> p.startsWith("node_modules") || p.startsWith("build")), paths::toString);
    assertTrue(paths.contains("src/main.go"));
  }

  @Test
  void exclusionReincludesBelowExcludedFolder() throws Exception {
    createPatternTree();
    List<String> paths = excluding("node_modules", "!node_modules/keep");
    assertEquals(List.of("node_modules", "node_modules/keep", "node_modules/keep/keep.js"),
        paths.stream().filter(p -> p.startsWith("node_modules")).toList());
  }

  @Test
  void exclusionWithWildcardsWalksExcludedFolders() throws Exception {
    createPatternTree();
    List<String> paths = excluding("build", "!build/**/*.log");
    assertEquals(List.of("build", "build/logs", "build/logs/2024", "build/logs/2024/app.log"),
        paths.stream().filter(p -> p.startsWith("build")).toList());
  }

  @Test
  void everythingExceptOneFile() throws Exception {
    createPatternTree();
    assertEquals(List.of("src", "src/main.go"), excluding("*", "!src/main.go"));
  }

  @Test
  void doubleStarMatchesAtAnyDepth() throws Exception {
    createPatternTree();
    List<String> paths = excluding("**/*.go");
    assertTrue(paths.contains("src/vendor"));
    assertFalse(paths.stream().anyMatch(p -> p.endsWith(".go")), paths::toString);
  }

  @Test
  void regexpMetacharactersAreLiteral() throws Exception {
    createPatternTree();
    List<String> paths = excluding("docs/file(1).txt", "docs/a+b.txt");
    assertEquals(List.of("docs", "docs/[draft].md", "docs/d.md"), paths.stream().filter(p -> p.startsWith("docs")).toList());
  }

  @Test
  void bracketClassAndEscapedBracket() throws Exception {
    createPatternTree();
    assertEquals(List.of("docs", "docs/[draft].md", "docs/a+b.txt", "docs/file(1).txt"),
        excluding("docs/[d].md").stream().filter(p -> p.startsWith("docs")).toList());
    assertEquals(List.of("docs", "docs/a+b.txt", "docs/d.md", "docs/file(1).txt"),
        excluding("docs/\\[draft\\].md").stream().filter(p -> p.startsWith("docs")).toList());
  }

  @Test
  void questionMarkMatchesOneCharacter() throws Exception {
    createPatternTree();
    List<String> paths = excluding("?EADME.md", "a?b");
    assertFalse(paths.contains("README.md"));
    assertFalse(paths.contains("a.b"));
    assertTrue(paths.contains("a/b.txt"));
  }

  @Test
  void dockerignoreFileWithCrlfBomAndLeadingSlash() throws Exception {
    createPatternTree();
    byte[] ignore = "\uFEFF# generated\r\n/node_modules\r\n\r\n  build  \r\n/src/**/*_test.go\r\n"
        .getBytes(StandardCharsets.UTF_8);
    Files.write(context.resolve(".dockerignore"), ignore);
    List<String> patterns = DockerIgnore.read(context.resolve(".dockerignore"));
    assertEquals(List.of("node_modules", "build", "src/**/*_test.go"), patterns);

    List<String> paths = excluding(patterns.toArray(String[]::new));
    assertFalse(paths.stream().anyMatch(p -> p.startsWith("node_modules") || p.startsWith("build")), paths::toString);
    assertFalse(paths.contains("src/main_test.go"));
    assertTrue(paths.contains("src/main.go"));
  }

  @Test
  void includePatterns() throws Exception {
    createPatternTree();
    assertEquals(List.of("src", "src/main.go", "src/main_test.go", "src/vendor", "src/vendor/lib.go"),
        sentPaths(List.of("src"), List.of()));
    assertEquals(List.of("README.md", "docs", "docs/d.md"), sentPaths(List.of("*.md", "docs/d*"), List.of()));
  }

  @Test
  void includeAndExcludeTogether() throws Exception {
    createPatternTree();
    assertEquals(List.of("src", "src/main.go", "src/vendor", "src/vendor/lib.go"),
        sentPaths(List.of("src"), List.of("**/*_test.go")));
  }

  @Test
  void malformedPatternIsReportedToBuilder() throws Exception {
    createPatternTree();
    SyncClient.Result result = client.receive(
        SyncClient.headers("context", List.of(), List.of("ok", "a["), List.of()), Files.createTempDirectory(temp, "out"));
    assertNotNull(result.error());
    Status status = Status.fromThrowable(result.error());
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode());
    assertEquals("invalid exclude pattern \"a[\": syntax error in pattern", status.getDescription());
  }

  @Test
  void matchTimePatternErrorReported() throws Exception {
    createPatternTree();
    SyncClient.Result result = client.receive(
        SyncClient.headers("context", List.of(), List.of("[z-a]"), List.of()), Files.createTempDirectory(temp, "out"));
    assertNotNull(result.error());
    String message = Status.fromThrowable(result.error()).getDescription();
    assertTrue(message.contains("invalid exclude pattern \"[z-a]\""), message);
  }

  @Test
  void unknownFolderIsNotFound() throws Exception {
    SyncClient.Result result = client.receive(SyncClient.headers("secrets"), Files.createTempDirectory(temp, "out"));
    Status status = Status.fromThrowable(result.error());
    assertEquals(Status.Code.NOT_FOUND, status.getCode());
    assertEquals("no access allowed to dir \"secrets\"", status.getDescription());
  }

  @Test
  void nonAsciiPatternsArriveEscaped() throws Exception {
    write("café/menu.txt", "x");
    write("日本/語.txt", "x");
    write("plain.txt", "x");
    Metadata headers = SyncClient.headers("context", List.of(), List.of("café", "日本/*.txt"), List.of());
    assertEquals("1", headers.get(SyncClient.key("exclude-patterns-encoded")));
    SyncClient.Result result = client.receive(headers, Files.createTempDirectory(temp, "out"));
    assertNull(result.error());
    assertEquals(List.of("plain.txt", "日本"), result.paths());
  }

  @Test
  void followPathsIncludeLinkTargets() throws Exception {
    write("real/Dockerfile", "FROM scratch");
    write("other.txt", "x");
    Files.createSymbolicLink(context.resolve("Dockerfile"), Path.of("real/Dockerfile"));
    SyncClient.Result result = client.receive(
        SyncClient.headers("context", List.of(), List.of(), List.of("Dockerfile", "missing.dockerignore")),
        Files.createTempDirectory(temp, "out"));
    assertNull(result.error());
    assertEquals(List.of("Dockerfile", "real", "real/Dockerfile"), result.paths());
  }

  @Test
  void invalidUtf8NameIsRejected() throws Exception {
    Process touch = new ProcessBuilder("sh", "-c", "touch \"$(printf 'bad\\377name')\"").directory(context.toFile()).start();
    assertEquals(0, touch.waitFor());
    SyncClient.Result result = client.receive(SyncClient.headers("context"), Files.createTempDirectory(temp, "out"));
    assertNotNull(result.error());
    String message = Status.fromThrowable(result.error()).getDescription();
    assertTrue(message.contains("is not valid UTF-8"), message);
  }

  @Test
  void orderUsesCodePointsNotUtf16() throws Exception {
    write("\uFF21", "fullwidth A");
    write("\uD83D\uDE00", "emoji");
    assertEquals(List.of("\uFF21", "\uD83D\uDE00"), excluding());
  }

  @Test
  void roundTripRestoresTree() throws Exception {
    write("empty.txt", "");
    write("script.sh", "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(context.resolve("script.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    write("readonly.txt", "ro");
    Files.setPosixFilePermissions(context.resolve("readonly.txt"), PosixFilePermissions.fromString("r--r--r--"));
    Files.createDirectories(context.resolve("empty-dir"));
    Files.createDirectories(context.resolve("locked"));
    write("locked/inner.txt", "inner");
    Files.setPosixFilePermissions(context.resolve("locked"), PosixFilePermissions.fromString("r-xr-xr-x"));
    write("café/日本語 😀.txt", "non-ASCII");
    byte[] large = new byte[5 * 1024 * 1024 + 123];
    new Random(42).nextBytes(large);
    Files.write(context.resolve("large.bin"), large);
    Files.createSymbolicLink(context.resolve("link-relative"), Path.of("script.sh"));
    Files.createSymbolicLink(context.resolve("link-outside"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(context.resolve("link-dangling"), Path.of("../nowhere"));
    Files.createSymbolicLink(context.resolve("link-dir"), Path.of("café"));
    Files.createLink(context.resolve("hardlink.sh"), context.resolve("script.sh"));
    FileTime mtime = FileTime.from(1_600_000_000_123_456_789L, TimeUnit.NANOSECONDS);
    Files.setLastModifiedTime(context.resolve("empty.txt"), mtime);

    Path out = Files.createTempDirectory(temp, "out");
    SyncClient.Result result = client.receive(SyncClient.headers("context"), out);
    assertNull(result.error(), () -> "transfer failed: " + result.error());

    List<String> expected = listTree(context);
    assertEquals(expected, listTree(out));
    for (String path : expected) {
      assertSameEntry(context.resolve(path), out.resolve(path), path);
    }
    assertEquals(mtime, Files.getLastModifiedTime(out.resolve("empty.txt")));
    assertArrayEquals(large, Files.readAllBytes(out.resolve("large.bin")));
    assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(out.resolve("link-outside")));

    Stat hardlink = statOf(result, "hardlink.sh");
    assertEquals("", hardlink.getLinkname(), "the first path of an inode carries the content");
    assertEquals("hardlink.sh", statOf(result, "script.sh").getLinkname());
    assertTrue(Files.isSameFile(out.resolve("hardlink.sh"), out.resolve("script.sh")));

    // An unchanged folder must produce identical stats, or BuildKit would transfer it again.
    SyncClient.Result again = client.receive(SyncClient.headers("context"), Files.createTempDirectory(temp, "again"));
    assertEquals(result.stats(), again.stats());
    Files.setPosixFilePermissions(context.resolve("locked"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(out.resolve("locked"), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void statFieldsMatchFsutil() throws Exception {
    write("dir/file.txt", "hello");
    Files.setPosixFilePermissions(context.resolve("dir"), PosixFilePermissions.fromString("rwxr-x--x"));
    Files.setPosixFilePermissions(context.resolve("dir/file.txt"), PosixFilePermissions.fromString("rwxr-xr--"));
    Files.createSymbolicLink(context.resolve("link"), Path.of("dir/file.txt"));
    SyncClient.Result result = client.receive(SyncClient.headers("context"), Files.createTempDirectory(temp, "out"));
    assertNull(result.error());

    int uid = (Integer) Files.getAttribute(context.resolve("dir"), "unix:uid");
    Stat dir = statOf(result, "dir");
    assertEquals(0x80000000 | 0751, dir.getMode(), "ModeDir plus permissions");
    assertEquals(uid, dir.getUid());
    assertEquals(0, dir.getSize(), "fsutil sends no size for directories");

    Stat file = statOf(result, "dir/file.txt");
    assertEquals(0754, file.getMode());
    assertEquals(5, file.getSize());
    assertEquals(Files.getLastModifiedTime(context.resolve("dir/file.txt")).to(TimeUnit.NANOSECONDS), file.getModTime());

    Stat link = statOf(result, "link");
    assertEquals(1 << 27 | 0777, link.getMode());
    assertEquals("dir/file.txt", link.getLinkname());
    assertEquals("dir/file.txt".length(), link.getSize());
  }

  private static Stat statOf(SyncClient.Result result, String path) {
    return result.stats().stream().filter(s -> s.getPath().equals(path)).findFirst().orElseThrow();
  }

  private static List<String> listTree(Path root) throws IOException {
    try (Stream<Path> entries = Files.walk(root)) {
      return entries.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static void assertSameEntry(Path expected, Path actual, String path) throws IOException {
    boolean link = Files.isSymbolicLink(expected);
    assertEquals(link, Files.isSymbolicLink(actual), path + " is a link");
    if (link) {
      assertEquals(Files.readSymbolicLink(expected), Files.readSymbolicLink(actual), path);
      return;
    }
    assertEquals(Files.isDirectory(expected), Files.isDirectory(actual), path + " is a directory");
    assertEquals(Files.getPosixFilePermissions(expected, LinkOption.NOFOLLOW_LINKS),
        Files.getPosixFilePermissions(actual, LinkOption.NOFOLLOW_LINKS), path + " permissions");
    assertEquals(Files.getLastModifiedTime(expected, LinkOption.NOFOLLOW_LINKS),
        Files.getLastModifiedTime(actual, LinkOption.NOFOLLOW_LINKS), path + " mtime");
    if (Files.isRegularFile(expected)) {
      assertEquals(Files.size(expected), Files.size(actual), path + " size");
      assertEquals(-1L, Files.mismatch(expected, actual), path + " content");
    }
  }
}
