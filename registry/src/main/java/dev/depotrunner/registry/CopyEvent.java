package dev.depotrunner.registry;

import java.time.Duration;

/**
 * Progress of an {@link ImageCopy}, as data for a renderer. Events arrive from the upload
 * threads, so a listener must be thread-safe.
 */
public sealed interface CopyEvent {

  /** The target to which the event belongs. */
  ImageName target();

  /**
   * Bytes of one blob sent to the target so far. Sent when an upload starts, as it advances and
   * when it completes ({@code bytesSent == size}).
   */
  record BlobProgress(ImageName target, String digest, long bytesSent, long size)
      implements CopyEvent {}

  /** A blob needed no upload: the target had it, or mounted it from the source repository. */
  record BlobSkipped(ImageName target, String digest, long size, Reason reason)
      implements CopyEvent {

    public enum Reason {
      EXISTS,
      MOUNTED
    }
  }

  /** A manifest was put to the target, by digest or under the target's tag. */
  record ManifestPushed(ImageName target, String digest, String mediaType) implements CopyEvent {}

  /** A request failed with a transient error and runs again after {@code delay}. */
  record Retrying(ImageName target, String operation, int attempt, Duration delay, String error)
      implements CopyEvent {}
}
