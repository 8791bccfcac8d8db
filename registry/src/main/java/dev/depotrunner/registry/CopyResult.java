package dev.depotrunner.registry;

import java.util.List;

/**
 * The outcome of an {@link ImageCopy}: the digest of the copied top-level manifest, identical
 * in source and targets, and what was transferred, summed over all targets.
 */
public record CopyResult(
    String digest,
    String mediaType,
    List<ImageName> targets,
    int manifests,
    int blobsUploaded,
    long bytesUploaded,
    int blobsMounted,
    int blobsExisting) {

  public CopyResult {
    targets = List.copyOf(targets);
  }
}
