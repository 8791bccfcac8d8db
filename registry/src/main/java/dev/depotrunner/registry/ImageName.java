package dev.depotrunner.registry;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Optional;

/**
 * A validated image reference: registry host, repository, and a tag or digest, for example
 * {@code 127.0.0.1:5000/app/web:v1} or {@code registry.depot.dev/abc@sha256:...}.
 *
 * <p>A name without a registry means Docker Hub ({@code registry-1.docker.io}), and a name
 * without tag or digest means the tag {@code latest}, as the Docker CLI reads names.
 */
public final class ImageName {

  private final ImageReference reference;

  private ImageName(ImageReference reference) {
    this.reference = reference;
  }

  /**
   * Parses {@code value}.
   *
   * @throws IllegalArgumentException if {@code value} is not a valid image reference
   */
  public static ImageName parse(String value) {
    try {
      return new ImageName(ImageReference.parse(value));
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException(
          "invalid image reference \"" + value + "\": expected [registry/]repository[:tag][@digest]",
          e);
    }
  }

  /** Registry host and optional port, such as {@code 127.0.0.1:5000}. */
  public String registry() {
    return reference.getRegistry();
  }

  public String repository() {
    return reference.getRepository();
  }

  public Optional<String> tag() {
    return reference.getTag();
  }

  public Optional<String> digest() {
    return reference.getDigest();
  }

  /** The digest if the name has one, otherwise the tag: what a manifest request names. */
  public String qualifier() {
    return reference.getQualifier();
  }

  /** Whether the registry is on a loopback address, which is reached over plain HTTP. */
  boolean isLoopback() {
    String host = registry();
    if (host.startsWith("[")) {
      host = host.substring(1, host.indexOf(']'));
    } else if (host.indexOf(':') >= 0) {
      host = host.substring(0, host.lastIndexOf(':'));
    }
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageName name && reference.equals(name.reference);
  }

  @Override
  public int hashCode() {
    return reference.hashCode();
  }

  @Override
  public String toString() {
    return reference.toString();
  }
}
