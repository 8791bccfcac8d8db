package dev.depotrunner.steps.build.options;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference in the Docker grammar, {@code [domain[:port]/]path[:tag][@digest]}, as defined by the
 * distribution/reference Go module: path components are lowercase letters and digits joined by
 * {@code .}, {@code _}, {@code __} or dashes; a tag is at most 128 word characters, dots and dashes; a
 * digest is {@code algorithm:hex}.
 *
 * <p>{@link #toString()} returns the reference as written, which is what buildx passes to BuildKit as an
 * exporter's {@code name}; {@link #normalized()} adds Docker Hub's defaults, so that {@code hello} becomes
 * {@code docker.io/library/hello:latest}.
 */
public final class ImageReference {

  private static final String DEFAULT_DOMAIN = "docker.io";
  private static final String LEGACY_DEFAULT_DOMAIN = "index.docker.io";
  private static final String OFFICIAL_REPOSITORY_PREFIX = "library/";
  private static final int NAME_MAX_LENGTH = 255;

  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
  private static final String IPV6_ADDRESS = "\\[(?:[a-fA-F0-9:]+)\\]";
  private static final String DOMAIN_AND_PORT = "(?:" + DOMAIN_NAME + "|" + IPV6_ADDRESS + ")(?::[0-9]+)?";
  private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";

  private static final Pattern REFERENCE =
      Pattern.compile(
          "^((?:" + DOMAIN_AND_PORT + "/)?" + REMOTE_NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-f0-9]{64}$");
  static final Pattern TAG_PATTERN = Pattern.compile("^" + TAG + "$");
  static final Pattern DIGEST_PATTERN = Pattern.compile("^" + DIGEST + "$");

  private final String domain;
  private final String path;
  private final String tag;
  private final String digest;

  private ImageReference(String domain, String path, String tag, String digest) {
    this.domain = domain;
    this.path = path;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses a reference as written, without adding defaults, and rejects an uppercase first path
   * component that does not look like a registry host (no {@code .} or {@code :}, not {@code localhost}):
   * such a component is a Docker Hub namespace, and those are lowercase.
   *
   * @throws InvalidOptionException naming the value and the expected form
   */
  public static ImageReference parse(String value) {
    ImageReference reference = parseExact(value);
    int slash = reference.path.indexOf('/');
    if (reference.domain.isEmpty() && slash > 0) {
      String first = reference.path.substring(0, slash);
      if (!first.equals(first.toLowerCase(Locale.ROOT))) {
        throw invalid(value, "repository name must be lowercase");
      }
    }
    return reference;
  }

  /**
   * Parses a reference the way Docker's {@code ParseNormalizedNamed} does and returns it with Docker Hub's
   * defaults: {@code hello} is {@code docker.io/library/hello}, {@code index.docker.io/x/y} is
   * {@code docker.io/x/y}. No tag is added; {@link #withDefaultTag()} does that. Like {@link #parse}, an
   * uppercase first component that does not look like a host is rejected.
   */
  public static ImageReference parseNormalized(String value) {
    if (IDENTIFIER.matcher(value).matches()) {
      throw invalid(value, "a 64-character hexadecimal string is an image ID, not a repository name");
    }

    String domain;
    String remainder;
    int slash = value.indexOf('/');
    String first = slash < 0 ? "" : value.substring(0, slash);
    if (slash < 0) {
      domain = DEFAULT_DOMAIN;
      remainder = OFFICIAL_REPOSITORY_PREFIX + value;
    } else if (first.equals("localhost") || first.contains(".") || first.contains(":")) {
      domain = first.equals(LEGACY_DEFAULT_DOMAIN) ? DEFAULT_DOMAIN : first;
      remainder = value.substring(slash + 1);
    } else {
      domain = DEFAULT_DOMAIN;
      remainder = value;
    }
    if (domain.equals(DEFAULT_DOMAIN) && slash >= 0 && remainder.indexOf('/') < 0) {
      remainder = OFFICIAL_REPOSITORY_PREFIX + remainder;
    }

    int tagSeparator = remainder.indexOf(':');
    String remote = tagSeparator < 0 ? remainder : remainder.substring(0, tagSeparator);
    if (!remote.equals(remote.toLowerCase(Locale.ROOT))) {
      throw invalid(value, "repository name must be lowercase");
    }
    return parseExact(domain + "/" + remainder, value);
  }

  private static ImageReference parseExact(String value) {
    return parseExact(value, value);
  }

  private static ImageReference parseExact(String value, String written) {
    Matcher matcher = REFERENCE.matcher(value);
    if (!matcher.matches()) {
      if (value.isEmpty()) {
        throw invalid(written, "the reference is empty");
      }
      if (REFERENCE.matcher(value.toLowerCase(Locale.ROOT)).matches()) {
        throw invalid(written, "repository name must be lowercase");
      }
      throw invalid(written, "use [registry/]repository[:tag][@digest], such as 127.0.0.1:5000/demo/hello:1");
    }

    String name = matcher.group(1);
    if (name.length() > NAME_MAX_LENGTH) {
      throw invalid(written, "repository name must not be longer than " + NAME_MAX_LENGTH + " characters");
    }
    String digest = matcher.group(3);
    if (digest != null) {
      validateDigest(written, digest);
    }

    // The grammar lets any first component be a domain; Docker treats it as one only when it looks like
    // a host, and otherwise as the first path component (a Docker Hub namespace).
    String domain = "";
    String path = name;
    int slash = name.indexOf('/');
    if (slash > 0) {
      String first = name.substring(0, slash);
      if (first.equals("localhost") || first.contains(".") || first.contains(":")) {
        domain = first;
        path = name.substring(slash + 1);
      }
    }
    return new ImageReference(domain, path, matcher.group(2), digest);
  }

  /** Checks a digest as go-digest does: a known algorithm and lowercase hex of its length. */
  static void validateDigest(String written, String digest) {
    int colon = digest.indexOf(':');
    String algorithm = digest.substring(0, colon);
    String hex = digest.substring(colon + 1);
    int expectedLength =
        switch (algorithm) {
          case "sha256" -> 64;
          case "sha384" -> 96;
          case "sha512" -> 128;
          default -> throw invalid(written, "unsupported digest algorithm " + algorithm + "; use sha256");
        };
    if (hex.length() != expectedLength || !hex.matches("[a-f0-9]+")) {
      throw invalid(
          written, "invalid " + algorithm + " digest: expected " + expectedLength + " lowercase hex characters");
    }
  }

  private static InvalidOptionException invalid(String value, String reason) {
    return new InvalidOptionException("invalid image reference \"" + value + "\": " + reason);
  }

  /** The registry host with its port, such as {@code 127.0.0.1:5000}, or empty when not written. */
  public String domain() {
    return domain;
  }

  /** The repository path inside the registry, such as {@code demo/hello}. */
  public String path() {
    return path;
  }

  /** The repository without tag or digest, such as {@code 127.0.0.1:5000/demo/hello}. */
  public String name() {
    return domain.isEmpty() ? path : domain + "/" + path;
  }

  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** The digest, such as {@code sha256:...}. */
  public Optional<String> digest() {
    return Optional.ofNullable(digest);
  }

  /** Returns this reference with Docker Hub's defaults, as {@link #parseNormalized} does. */
  public ImageReference normalized() {
    return parseNormalized(toString());
  }

  /** Returns this reference with the tag {@code latest} when it has neither tag nor digest. */
  public ImageReference withDefaultTag() {
    if (tag != null || digest != null) {
      return this;
    }
    return new ImageReference(domain, path, "latest", null);
  }

  /**
   * Returns the short form Docker shows: without {@code docker.io/}, and without {@code library/} for
   * official images, so that {@code docker.io/library/hello:1} is {@code hello:1}.
   */
  public String familiar() {
    ImageReference normal = normalized();
    String shortName = normal.name();
    if (normal.domain.equals(DEFAULT_DOMAIN)) {
      shortName = normal.path;
      if (shortName.startsWith(OFFICIAL_REPOSITORY_PREFIX)
          && shortName.indexOf('/', OFFICIAL_REPOSITORY_PREFIX.length()) < 0) {
        shortName = shortName.substring(OFFICIAL_REPOSITORY_PREFIX.length());
      }
    }
    return format(shortName, normal.tag, normal.digest);
  }

  private static String format(String name, String tag, String digest) {
    var text = new StringBuilder(name);
    if (tag != null) {
      text.append(':').append(tag);
    }
    if (digest != null) {
      text.append('@').append(digest);
    }
    return text.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageReference that && toString().equals(that.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** Returns the reference as written: {@code name[:tag][@digest]}. */
  @Override
  public String toString() {
    return format(name(), tag, digest);
  }
}
