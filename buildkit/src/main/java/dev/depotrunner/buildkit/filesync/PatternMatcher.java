package dev.depotrunner.buildkit.filesync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Matches slash-separated relative paths against .dockerignore-style patterns with the semantics of
 * moby/patternmatcher v0.6.1, the matcher BuildKit and fsutil use: later patterns override earlier
 * ones, a {@code !} pattern re-includes what earlier patterns matched, {@code *} and {@code ?} stop at
 * {@code /}, {@code **} spans any number of path elements, {@code [...]} is a character class and
 * {@code \} escapes the next character.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class PatternMatcher {

  private final List<MatchPattern> patterns;
  private final boolean exclusions;

  private PatternMatcher(List<MatchPattern> patterns) {
    this.patterns = patterns;
    this.exclusions = patterns.stream().anyMatch(MatchPattern::exclusion);
  }

  /**
   * Compiles patterns as patternmatcher's {@code New} does: each is trimmed, skipped if empty,
   * cleaned like a path, and checked with Go's {@code filepath.Match} syntax.
   *
   * @throws InvalidPatternException naming the first malformed pattern
   */
  public static PatternMatcher compile(List<String> patterns) throws InvalidPatternException {
    List<MatchPattern> compiled = new ArrayList<>(patterns.size());
    for (String original : patterns) {
      String pattern = GoPath.trimSpace(original);
      if (pattern.isEmpty()) {
        continue;
      }
      // Go cleans before looking at "!", so "!a/../b" becomes "b".
      pattern = GoPath.clean(pattern);
      boolean exclusion = false;
      if (pattern.charAt(0) == '!') {
        if (pattern.length() == 1) {
          throw new InvalidPatternException("!", "illegal exclusion pattern");
        }
        exclusion = true;
        pattern = pattern.substring(1);
      }
      if (!GoGlob.isValid(pattern)) {
        throw new InvalidPatternException(original, "syntax error in pattern");
      }
      compiled.add(new MatchPattern(pattern, exclusion));
    }
    return new PatternMatcher(Collections.unmodifiableList(compiled));
  }

  /**
   * Returns whether the path, or one of its parent directories, matches the patterns after
   * exclusions are applied. For .dockerignore patterns, {@code true} means the path is ignored.
   *
   * @throws InvalidPatternException if a pattern reached during matching is malformed
   */
  public boolean matchesOrParentMatches(String path) throws InvalidPatternException {
    boolean matched = false;
    String parent = GoPath.dir(path);
    String[] parentElements = parent.split("/", -1);

    for (MatchPattern pattern : patterns) {
      // An inclusion cannot change a match and an exclusion cannot change a miss.
      if (pattern.exclusion() != matched) {
        continue;
      }
      boolean match = pattern.matches(path);
      if (!match && !parent.equals(".")) {
        match = matchesAnyParent(pattern, parentElements);
      }
      if (match) {
        matched = !pattern.exclusion();
      }
    }
    return matched;
  }

  /** Returns whether any pattern is an exclusion ({@code !pattern}). */
  public boolean hasExclusions() {
    return exclusions;
  }

  List<MatchPattern> patterns() {
    return patterns;
  }

  /**
   * Matches a path during a walk, reusing its parent directory's per-pattern results as
   * patternmatcher's {@code MatchesUsingParentResults} does. {@code parentMatched} is empty for a path
   * whose parent was not matched (then every parent directory is checked); the array returned holds
   * this path's per-pattern results for its children.
   */
  boolean matchesUsingParentResults(String path, boolean[] parentMatched, boolean[] matchedOut)
      throws InvalidPatternException {
    boolean haveParent = parentMatched.length != 0;
    boolean matched = false;
    String[] parentElements = null;

    for (int i = 0; i < patterns.size(); i++) {
      MatchPattern pattern = patterns.get(i);
      boolean match = haveParent && parentMatched[i];
      if (!match) {
        if (pattern.exclusion() != matched) {
          matchedOut[i] = false;
          continue;
        }
        match = pattern.matches(path);
        if (!match && !haveParent) {
          String parent = GoPath.dir(path);
          if (!parent.equals(".")) {
            if (parentElements == null) {
              parentElements = parent.split("/", -1);
            }
            match = matchesAnyParent(pattern, parentElements);
          }
        }
      }
      matchedOut[i] = match;
      if (match) {
        matched = !pattern.exclusion();
      }
    }
    return matched;
  }

  int size() {
    return patterns.size();
  }

  private static boolean matchesAnyParent(MatchPattern pattern, String[] parentElements) {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < parentElements.length; i++) {
      if (i > 0) {
        prefix.append('/');
      }
      prefix.append(parentElements[i]);
      try {
        if (pattern.matches(prefix.toString())) {
          return true;
        }
      } catch (InvalidPatternException e) {
        // patternmatcher ignores errors from parent checks; the path itself already raised them.
        return false;
      }
    }
    return false;
  }
}
