package dev.depotrunner.registry;

import java.util.List;

/**
 * An image index that {@link IndexPush} put under its targets.
 *
 * @param digest the index's digest, the same in every target
 * @param size the index's size in bytes
 * @param platforms each image's platform as {@code os/architecture[/variant]}, in index order, without
 *     attestation manifests
 */
public record PushedIndex(String digest, String mediaType, long size, List<String> platforms) {

  public PushedIndex {
    platforms = List.copyOf(platforms);
  }
}
