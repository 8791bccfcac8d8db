package dev.depotrunner.buildkit.content;

import java.time.Instant;
import java.util.Map;

/**
 * A committed blob: its digest and size, when it was committed, when it was last read or updated,
 * and its labels (always empty on an {@link OciLayoutStore}, which keeps no label database).
 */
public record BlobInfo(Digest digest, long size, Instant createdAt, Instant updatedAt, Map<String, String> labels) {

  public BlobInfo {
    labels = Map.copyOf(labels);
  }
}
