package dev.depotrunner.steps.build.options;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One {@code --build-context name=value}: an extra context the Dockerfile can use by name
 * ({@code FROM name}, {@code COPY --from=name}).
 *
 * <p>The value is one of:
 *
 * <ul>
 *   <li>{@code docker-image://REFERENCE}: an image;
 *   <li>{@code target:STAGE}: another stage of the same Dockerfile;
 *   <li>a Git or HTTP(S) URL, which BuildKit fetches;
 *   <li>{@code oci-layout://PATH[:TAG][@DIGEST]}: an image in a local OCI layout folder, tag {@code latest}
 *       when neither tag nor digest is given;
 *   <li>any other value: a local folder.
 * </ul>
 *
 * <p>The name is normalized as buildx does: {@code docker.io/library/alpine:latest} becomes {@code alpine}.
 */
public record BuildContextSpec(String name, Source source) {

  /** Where a named context comes from. */
  public sealed interface Source {}

  /** A local folder, synced to the builder through the session. */
  public record LocalDirectory(Path path) implements Source {}

  /** A value passed through to the frontend as written: an image, a stage, or a remote URL. */
  public record PassThrough(String value) implements Source {

    /** Returns whether the value is a Git URL with a query string such as {@code ?ref=main}. */
    public boolean gitQuery() {
      return RemoteContexts.hasGitQuery(value);
    }
  }

  /**
   * An image in a local OCI layout folder, served to the builder from a content store in the session.
   *
   * @param tag the tag to look up in the layout's {@code index.json}, or empty
   * @param digest the manifest digest, or empty until it is resolved from {@code index.json}
   */
  public record OciLayout(Path path, Optional<String> tag, Optional<String> digest) implements Source {}

  private static final String OCI_LAYOUT_PREFIX = "oci-layout://";

  /**
   * Parses {@code name=value}; a local folder keeps its path as written, for the caller to resolve and check.
   *
   * @throws InvalidOptionException naming the value and the fix
   */
  public static BuildContextSpec parse(String value) {
    int equals = value.indexOf('=');
    if (equals < 0) {
      throw new InvalidOptionException(
          "invalid build context \"" + value + "\": use name=value, such as base=docker-image://alpine:3.20 or src=./src");
    }
    String rawName = value.substring(0, equals);
    String source = value.substring(equals + 1);
    return new BuildContextSpec(normalizeName(value, rawName), parseSource(value, source));
  }

  private static String normalizeName(String value, String rawName) {
    String familiar;
    try {
      familiar = ImageReference.parseNormalized(rawName).familiar();
    } catch (InvalidOptionException e) {
      throw new InvalidOptionException(
          "invalid build context \"" + value + "\": the name \"" + rawName
              + "\" must be lowercase letters, digits and separators, like an image name",
          e);
    }
    return familiar.endsWith(":latest") ? familiar.substring(0, familiar.length() - ":latest".length()) : familiar;
  }

  private static Source parseSource(String value, String source) {
    if (source.isEmpty()) {
      throw new InvalidOptionException("invalid build context \"" + value + "\": the value after = is empty");
    }
    if (RemoteContexts.isRemote(source) || source.startsWith("docker-image://") || source.startsWith("target:")) {
      return new PassThrough(source);
    }
    if (source.startsWith(OCI_LAYOUT_PREFIX)) {
      return parseOciLayout(value, source.substring(OCI_LAYOUT_PREFIX.length()));
    }
    return new LocalDirectory(Path.of(source));
  }

  private static OciLayout parseOciLayout(String value, String location) {
    String path = location;
    String digest = null;
    String tag = null;

    int at = path.lastIndexOf('@');
    if (at >= 0 && ImageReference.DIGEST_PATTERN.matcher(path.substring(at + 1)).matches()) {
      digest = path.substring(at + 1);
      try {
        ImageReference.validateDigest(value, digest);
      } catch (InvalidOptionException e) {
        throw new InvalidOptionException("invalid build context \"" + value + "\": " + e.getMessage(), e);
      }
      path = path.substring(0, at);
    }
    int colon = path.lastIndexOf(':');
    if (colon >= 0 && !isWindowsDrive(path, colon) && ImageReference.TAG_PATTERN.matcher(path.substring(colon + 1)).matches()) {
      tag = path.substring(colon + 1);
      path = path.substring(0, colon);
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    if (path.isEmpty()) {
      throw new InvalidOptionException(
          "invalid build context \"" + value + "\": oci-layout:// needs a folder, such as oci-layout://./image:1");
    }
    return new OciLayout(Path.of(path), Optional.ofNullable(tag), Optional.ofNullable(digest));
  }

  private static boolean isWindowsDrive(String path, int colon) {
    return colon == 1 && path.length() >= 3 && (path.charAt(2) == '/' || path.charAt(2) == '\\')
        && Character.isLetter(path.charAt(0));
  }

  /** Returns a copy with another source, such as a local folder resolved to an absolute path. */
  public BuildContextSpec withSource(Source newSource) {
    return new BuildContextSpec(name, newSource);
  }
}
