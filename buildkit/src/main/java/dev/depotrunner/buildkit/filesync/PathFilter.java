package dev.depotrunner.buildkit.filesync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The include and exclude patterns of one transfer, prepared as fsutil's {@code NewFilterFS} prepares
 * them: follow paths become include patterns, and the walk may skip a directory without reading it
 * only when no pattern could match below it.
 */
final class PathFilter {

  /** Characters that make a pattern more than a plain path prefix (Unix, where {@code \} escapes). */
  private static final String PATTERN_CHARACTERS = "*[]?^\\";

  final PatternMatcher includes;
  final PatternMatcher excludes;
  final boolean onlyPrefixIncludes;
  final boolean onlyPrefixExcludeExceptions;

  private PathFilter(PatternMatcher includes, PatternMatcher excludes) {
    this.includes = includes;
    this.excludes = excludes;

    boolean prefixIncludes = true;
    if (includes != null) {
      for (MatchPattern pattern : includes.patterns()) {
        if (!pattern.exclusion() && containsPatternCharacters(pattern.withoutTrailingGlob())) {
          prefixIncludes = false;
          break;
        }
      }
    }
    this.onlyPrefixIncludes = prefixIncludes;

    boolean prefixExceptions = true;
    if (excludes != null) {
      for (MatchPattern pattern : excludes.patterns()) {
        if (pattern.exclusion() && containsPatternCharacters(pattern.withoutTrailingGlob())) {
          prefixExceptions = false;
          break;
        }
      }
    }
    this.onlyPrefixExcludeExceptions = prefixExceptions;
  }

  /** A filter that passes everything. */
  static PathFilter none() {
    return new PathFilter(null, null);
  }

  /**
   * Prepares the patterns for the folder at {@code root}. Any list may be empty.
   *
   * @throws InvalidPatternException for a malformed include or exclude pattern
   * @throws IOException if resolving a follow path fails
   */
  static PathFilter create(Path root, List<String> includePatterns, List<String> excludePatterns, List<String> followPaths)
      throws InvalidPatternException, IOException {
    List<String> includes = new ArrayList<>(includePatterns);
    if (!followPaths.isEmpty()) {
      List<String> targets = FollowPaths.resolve(root, followPaths);
      if (targets != null) {
        includes.addAll(targets);
        includes = FollowPaths.dedupe(includes);
        if (includes == null) {
          includes = List.of();
        }
      }
    }

    PatternMatcher includeMatcher = includes.isEmpty() ? null : compile("include", includes);
    PatternMatcher excludeMatcher = excludePatterns.isEmpty() ? null : compile("exclude", excludePatterns);
    return new PathFilter(includeMatcher, excludeMatcher);
  }

  boolean isEmpty() {
    return includes == null && excludes == null;
  }

  /**
   * Returns whether an include pattern could match something inside {@code directory}, so that an
   * unmatched directory must still be walked.
   */
  boolean includeCouldMatchBelow(String directory) {
    return anyPatternBelow(includes, directory, false);
  }

  /** Returns whether an exclusion ({@code !} pattern) could re-include something inside {@code directory}. */
  boolean exceptionCouldMatchBelow(String directory) {
    return anyPatternBelow(excludes, directory, true);
  }

  private static boolean anyPatternBelow(PatternMatcher matcher, String directory, boolean exclusions) {
    String prefix = directory + "/";
    for (MatchPattern pattern : matcher.patterns()) {
      if (pattern.exclusion() != exclusions) {
        continue;
      }
      if ((pattern.withoutTrailingGlob() + "/").startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static PatternMatcher compile(String kind, List<String> patterns) throws InvalidPatternException {
    try {
      return PatternMatcher.compile(patterns);
    } catch (InvalidPatternException e) {
      throw e.withKind(kind + " pattern");
    }
  }

  private static boolean containsPatternCharacters(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      if (PATTERN_CHARACTERS.indexOf(pattern.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
