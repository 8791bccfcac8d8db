package dev.depotrunner.steps.registry;

import dev.depotrunner.registry.CopyEvent;
import dev.depotrunner.registry.ImageName;
import java.util.Optional;

/** Progress of a {@link PushStep}, as data for a renderer. */
public sealed interface PushEvent {

  /** The push of the build to {@code tag} starts. */
  record Started(String buildId, Optional<String> target, ImageName tag) implements PushEvent {}

  /** Progress of the copy to the tag, from upload threads. */
  record Copy(CopyEvent event) implements PushEvent {}

  /** The tag now names the build's image, {@code digest}. */
  record Finished(ImageName tag, String digest, int blobsUploaded, long bytesUploaded)
      implements PushEvent {}
}
