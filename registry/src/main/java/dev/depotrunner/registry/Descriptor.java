package dev.depotrunner.registry;

/** An OCI content descriptor: what a manifest or index says about one blob or manifest. */
record Descriptor(String mediaType, String digest, long size) {

  /** Whether registries may refuse this blob (Docker foreign and OCI non-distributable layers). */
  boolean isNonDistributable() {
    return mediaType.contains("foreign") || mediaType.contains("nondistributable");
  }
}
