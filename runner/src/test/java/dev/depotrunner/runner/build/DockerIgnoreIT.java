package dev.depotrunner.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * .dockerignore cases, each checked by what the build actually sees: the context is copied into an empty
 * image and exported to a folder, which then holds exactly the files the builder received.
 */
class DockerIgnoreIT {

  private static final List<String> FILES = List.of(
      "README.md", "notes.md", "logs/a.log", "logs/keep/important.log", "src/app.tmp", "src/deep/x.tmp",
      "src/main.c", "root-only.txt", "sub/root-only.txt", "a+b.txt", "aab.txt", "file1.txt", "secret.txt",
      "été/café.txt");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("negation keeps one file", ".dockerignore", "*.md\n!README.md\n",
            Set.of("notes.md"), Set.of("README.md")),
        Arguments.of("negation below an excluded folder", ".dockerignore", "logs\n!logs/keep/important.log\n",
            Set.of("logs/a.log"), Set.of("logs/keep/important.log")),
        Arguments.of("double star at any depth", ".dockerignore", "**/*.tmp\n",
            Set.of("src/app.tmp", "src/deep/x.tmp"), Set.of("src/main.c")),
        Arguments.of("leading slash is the root", ".dockerignore", "/root-only.txt\n",
            Set.of("root-only.txt"), Set.of("sub/root-only.txt")),
        Arguments.of("regex characters are literal", ".dockerignore", "a+b.txt\n",
            Set.of("a+b.txt"), Set.of("aab.txt")),
        Arguments.of("character class", ".dockerignore", "file[0-9].txt\n",
            Set.of("file1.txt"), Set.of("README.md")),
        Arguments.of("byte-order mark and CRLF", ".dockerignore", "\uFEFFsecret.txt\r\nnotes.md\r\n",
            Set.of("secret.txt", "notes.md"), Set.of("README.md")),
        Arguments.of("non-ASCII names", ".dockerignore", "été/café.txt\n",
            Set.of("été/café.txt"), Set.of("README.md")),
        Arguments.of("Dockerfile.dockerignore replaces the root file", "Dockerfile.dockerignore", "notes.md\n",
            Set.of("notes.md"), Set.of("secret.txt")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void dockerignore_filtersContext(String name, String ignoreFile, String patterns, Set<String> absent,
      Set<String> present, @TempDir Path work) throws IOException {
    Path context = work.resolve("context");
    writeContext(context);
    if (ignoreFile.equals("Dockerfile.dockerignore")) {
      Files.writeString(context.resolve(".dockerignore"), "secret.txt\n");
    }
    Files.writeString(context.resolve(ignoreFile), patterns, StandardCharsets.UTF_8);
    Path out = work.resolve("out");

    var run = LocalEngine.depot(work, Map.of("LC_ALL", "C.UTF-8"), "build", "--progress=plain",
        "-o", "type=local,dest=" + out, context.toString());

    assertEquals(0, run.exitCode(), run.stderr());
    Set<String> seen = filesBelow(out);
    for (String file : absent) {
      assertTrue(!seen.contains(file), file + " should be excluded; the builder saw " + seen);
    }
    for (String file : present) {
      assertTrue(seen.contains(file), file + " should be sent; the builder saw " + seen);
    }
  }

  @ParameterizedTest(name = "malformed pattern {0}")
  @MethodSource("malformedPatterns")
  void dockerignore_malformedPatternFails(String pattern, @TempDir Path work) throws IOException {
    Path context = work.resolve("context");
    writeContext(context);
    Files.writeString(context.resolve(".dockerignore"), pattern + "\n");

    var run = LocalEngine.depot(work, "build", "--progress=plain", "-o", "type=local,dest=" + work.resolve("out"),
        context.toString());

    assertNotEquals(0, run.exitCode());
    assertTrue(run.stderr().contains("\"" + pattern + "\""), run.stderr());
    assertTrue(run.stderr().contains(context.resolve(".dockerignore").toString()), run.stderr());
  }

  static Stream<String> malformedPatterns() {
    return Stream.of("[", "src/[a-");
  }

  private static void writeContext(Path context) throws IOException {
    Files.createDirectories(context);
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
    for (String file : FILES) {
      Path path = context.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, file + "\n");
    }
  }

  private static Set<String> filesBelow(Path folder) throws IOException {
    Set<String> files = new TreeSet<>();
    try (var walk = Files.walk(folder)) {
      walk.filter(Files::isRegularFile).forEach(file -> files.add(folder.relativize(file).toString()));
    }
    return files;
  }
}
