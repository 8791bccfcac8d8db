package dev.depotrunner.buildkit.content;

import dev.depotrunner.buildkit.BuildKitException;

/**
 * A failure preparing or updating the client's local content stores: an invalid {@code --cache-to},
 * {@code --cache-from} or OCI export option, or a folder or {@code index.json} that cannot be written.
 */
public final class ContentStoreException extends BuildKitException {

  public ContentStoreException(String message) {
    super(message);
  }

  public ContentStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
