package dev.depotrunner.registry;

/** An OCI content descriptor: the media type, digest and size by which a manifest or index refers to one blob or manifest. */
record Descriptor(String mediaType, String digest, long size) {

  /** Whether registries may refuse this blob (Docker foreign and OCI non-distributable layers). */
  boolean isNonDistributable() {
    return mediaType.contains("foreign") || mediaType.contains("nondistributable");
  }
}
