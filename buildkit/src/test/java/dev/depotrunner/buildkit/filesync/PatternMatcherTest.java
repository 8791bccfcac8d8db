package dev.depotrunner.buildkit.filesync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternMatcherTest {

  private static boolean ignored(String path, String... patterns) throws InvalidPatternException {
    return PatternMatcher.compile(List.of(patterns)).matchesOrParentMatches(path);
  }

  // Expectations follow moby/patternmatcher v0.6.1's patternmatcher_test.go and Go's semantics.
  @ParameterizedTest(name = "{0} against {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
    "fileutils.go         | *.go               | true",
    "dir/fileutils.go     | *.go               | false",
    "dir/fileutils.go     | **/*.go            | true",
    "fileutils.go         | **/*.go            | true",
    "a/b/c/d.go           | **/*.go            | true",
    "a/b/c/d.go           | a/**/d.go          | true",
    "a/d.go               | a/**/d.go          | true",
    "ad.go                | a/**/d.go          | false",
    "foo/bar              | foo/**             | true",
    "foo                  | foo/**             | false",
    "foobar               | foo**              | true",
    "x/foo                | **/foo             | true",
    "foo                  | **/foo             | true",
    "barfoo               | **foo              | true",
    "node_modules/x/y.js  | node_modules       | true",
    "src/node_modules     | node_modules       | false",
    "abc                  | a?c                | true",
    "a/c                  | a?c                | false",
    "abc                  | a[b-d]c            | true",
    "aec                  | a[b-d]c            | false",
    "aec                  | a[^b-d]c           | true",
    "file(1).txt          | file(1).txt        | true",
    "file1.txt            | file(1).txt        | false",
    "a+b                  | a+b                | true",
    "aab                  | a+b                | false",
    "a.b                  | a.b                | true",
    "axb                  | a.b                | false",
    "a.b                  | a.*                | true",
    "axb                  | a.*                | false",
    "{x}                  | {x}                | true",
    "$x{y}                | $x{y}              | true",
    "[draft].md           | \\[draft\\].md     | true",
    "d.md                 | [draft].md         | true",
    "a*b                  | a\\*b              | true",
    "axb                  | a\\*b              | false",
    "a/b                  | ./a/b              | true",
    "a/b                  | a//b/              | true",
    "b                    | a/../b             | true",
    "café/x               | café               | true",
    "日本/語.txt           | 日本/*.txt          | true",
  })
  void matchesOrParentMatches(String path, String pattern, boolean expected) throws Exception {
    assertEquals(expected, ignored(path, pattern));
  }

  @Test
  void exclusionReincludesBelowExcludedFolder() throws Exception {
    assertTrue(ignored("node_modules/x", "node_modules", "!node_modules/keep"));
    assertFalse(ignored("node_modules/keep", "node_modules", "!node_modules/keep"));
    assertFalse(ignored("node_modules/keep/a", "node_modules", "!node_modules/keep"));
    assertFalse(ignored("build/logs/app.log", "build/**", "!build/**/*.log"));
    assertTrue(ignored("build/logs/app.txt", "build/**", "!build/**/*.log"));
  }

  @Test
  void laterPatternWins() throws Exception {
    assertTrue(ignored("a.txt", "!a.txt", "*.txt"));
    assertFalse(ignored("a.txt", "*.txt", "!a.txt"));
  }

  @Test
  void leadingSlashIsKeptByMatcher() throws Exception {
    // Only the .dockerignore reader strips it; patternmatcher itself matches relative paths.
    assertFalse(ignored("a", "/a"));
  }

  @Test
  void malformedPatternNamesIt() {
    InvalidPatternException error = assertThrows(InvalidPatternException.class, () -> ignored("x", "ok", "a["));
    assertEquals("a[", error.pattern());
    assertEquals("invalid pattern \"a[\": syntax error in pattern", error.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"[", "a[", "[]", "[^]", "[a-", "[z-]", "a\\", "[a\\", "*[", "x*[a"})
  void malformedPatterns(String pattern) {
    assertThrows(InvalidPatternException.class, () -> PatternMatcher.compile(List.of(pattern)));
  }

  @Test
  void loneExclamationIsIllegal() {
    InvalidPatternException error = assertThrows(InvalidPatternException.class, () -> PatternMatcher.compile(List.of("!")));
    assertEquals("invalid pattern \"!\": illegal exclusion pattern", error.getMessage());
  }

  @Test
  void invalidRegexpFailsOnlyWhenMatched() throws Exception {
    // filepath.Match accepts a reversed range, Go's regexp does not: patternmatcher fails at match time.
    PatternMatcher matcher = PatternMatcher.compile(List.of("[z-a]"));
    InvalidPatternException error = assertThrows(InvalidPatternException.class, () -> matcher.matchesOrParentMatches("b"));
    assertEquals("[z-a]", error.pattern());
  }

  @Test
  void blankPatternsAreSkipped() throws Exception {
    assertEquals(1, PatternMatcher.compile(List.of("", "  ", "a")).size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''            | .",
    "a/b/../c      | a/c",
    "/../a         | /a",
    "../a          | ../a",
    "a/../..       | ..",
    "./a/./b/      | a/b",
    "//a//b        | /a/b",
    "a/b/..        | a",
    ".             | .",
    "/             | /",
  })
  void cleanLikeGo(String path, String expected) {
    assertEquals(expected, GoPath.clean(path));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "*.go       | main.go   | true",
    "*.go       | a/main.go | false",
    "a*b*c      | aXbYc     | true",
    "a*b*c      | aXbY      | false",
    "[a-c]?     | bz        | true",
    "[^a-c]     | b         | false",
    "\\*        | *         | true",
  })
  void globLikeGo(String pattern, String name, boolean expected) {
    assertEquals(expected, GoGlob.matches(pattern, name));
  }

  @Test
  void goStringOrderIsCodePointOrder() {
    String fullwidthA = "\uFF21";
    String emoji = "\uD83D\uDE00";
    assertTrue(GoPath.compare(fullwidthA, emoji) < 0);
    assertTrue(fullwidthA.compareTo(emoji) > 0, "Java's UTF-16 order differs here");
    assertTrue(GoPath.compare("a", "a.b") < 0);
  }

  @Test
  void trimSpaceLikeGo() {
    assertEquals("a", GoPath.trimSpace("\u00A0\t a \u3000\r"));
    // U+001C is white space to Java but not to Go.
    assertEquals("\u001Ca", GoPath.trimSpace("\u001Ca"));
  }
}
