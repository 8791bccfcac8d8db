package dev.depotrunner.runner.progress;

/** One update of a {@code depot push} or {@code depot pull}, for a {@link TransferRenderer}. */
public sealed interface TransferEvent {

  /** A line printed once, such as {@code [depot] Pulling build ...}. */
  record Message(String text) implements TransferEvent {}

  /**
   * The state of one blob, or of another item the engine reports by id, such as a tag.
   *
   * @param id the blob's short digest (its first 12 hex digits, as docker shows it), or the
   *     engine's id of another item
   * @param state such as {@code Downloading} or {@code Pushed}
   * @param current the bytes done, or 0
   * @param total the blob's size in bytes, or 0 when unknown
   */
  record Blob(String id, String state, long current, long total) implements TransferEvent {}

  /** Returns the first 12 hex digits of {@code digest}, the short form docker shows. */
  static String shortDigest(String digest) {
    String hex = digest.substring(digest.indexOf(':') + 1);
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
