package dev.depotrunner.steps.registry;

import java.util.regex.Pattern;

/**
 * A name to tag a pulled image with, {@code [host/]repository[:tag]}, as {@code docker tag}
 * takes it; the tag defaults to {@code latest}. Digests are rejected, because a tag names them.
 */
public record PullTag(String repository, String tag) {

  // Reference grammar of the distribution project: lowercase path components, tag of up to 128 characters.
  private static final Pattern REPOSITORY =
      Pattern.compile("(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  /**
   * Parses {@code value}.
   *
   * @throws IllegalArgumentException if it is not a valid name, or has a digest
   */
  public static PullTag parse(String value) {
    if (value.contains("@")) {
      throw new IllegalArgumentException("invalid tag \"" + value + "\": a digest cannot be a tag, use name:tag");
    }
    int slash = value.lastIndexOf('/');
    int colon = value.lastIndexOf(':');
    String repository = colon > slash ? value.substring(0, colon) : value;
    String tag = colon > slash ? value.substring(colon + 1) : "latest";
    if (!REPOSITORY.matcher(repository).matches() || !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid tag \"" + value + "\": expected [host/]name[:tag] in lowercase");
    }
    return new PullTag(repository, tag);
  }

  @Override
  public String toString() {
    return repository + ":" + tag;
  }
}
