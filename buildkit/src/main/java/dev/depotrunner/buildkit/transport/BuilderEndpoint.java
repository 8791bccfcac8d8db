package dev.depotrunner.buildkit.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The address of a BuildKit builder: a buildkitd socket, a buildkitd TCP port, or a Docker Engine
 * whose built-in BuildKit is reached through its API.
 *
 * <p>Accepted forms:
 *
 * <ul>
 *   <li>{@code unix:///run/buildkit/buildkitd.sock}: buildkitd on a unix socket
 *   <li>{@code tcp://host:1234}: buildkitd over TCP, with TLS when {@link #withTls} adds it
 *   <li>{@code docker://}: the local Docker Engine, from {@code DOCKER_HOST} or {@code
 *       unix:///var/run/docker.sock}
 *   <li>{@code docker://unix:///path/docker.sock} and {@code docker://tcp://host:2376}: a Docker Engine
 *       at that address, with TLS from {@code DOCKER_TLS_VERIFY}, {@code DOCKER_TLS} and {@code
 *       DOCKER_CERT_PATH} as the docker CLI reads them
 * </ul>
 *
 * <p>Parsing reads environment variables but never the network or the files named.
 */
public final class BuilderEndpoint {

  /** The builder behind the address. */
  public enum Kind {
    /** A buildkitd daemon that serves the Control API directly. */
    BUILDKITD,
    /** A Docker Engine that serves BuildKit through {@code POST /grpc} and {@code POST /session}. */
    DOCKER_ENGINE
  }

  static final Path DEFAULT_DOCKER_SOCKET = Path.of("/var/run/docker.sock");

  private static final String ACCEPTED_FORMS =
      "use unix:///path/to/buildkitd.sock, tcp://host:port, docker://, docker://unix:///path/to/docker.sock"
          + " or docker://tcp://host:port";
  private static final int DOCKER_PLAIN_PORT = 2375;
  private static final int DOCKER_TLS_PORT = 2376;

  private final Kind kind;
  private final Path socketPath;
  private final String host;
  private final int port;
  private final TlsConfig tls;
  private final boolean gzip;

  private BuilderEndpoint(Kind kind, Path socketPath, String host, int port, TlsConfig tls, boolean gzip) {
    this.kind = kind;
    this.socketPath = socketPath;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.gzip = gzip;
  }

  /**
   * Parses a builder address, reading {@code DOCKER_*} variables from the process environment for the
   * {@code docker://} forms.
   *
   * @throws IllegalArgumentException with a one-line message naming the value and the accepted forms
   */
  public static BuilderEndpoint parse(String value) {
    return parse(value, System.getenv());
  }

  /** Parses a builder address, reading {@code DOCKER_*} variables from {@code environment}. */
  public static BuilderEndpoint parse(String value, Map<String, String> environment) {
    return parse(value, "builder address", environment);
  }

  /**
   * Finds the builder the environment points at: {@code BUILDKIT_HOST} (any accepted form), else
   * {@code DOCKER_HOST} (a Docker Engine), else the Docker socket {@code /var/run/docker.sock} if it
   * exists. Returns empty when none of them is there.
   *
   * @throws IllegalArgumentException if a variable is set to an invalid address; the message names it
   */
  public static Optional<BuilderEndpoint> fromEnvironment(Map<String, String> environment) {
    return fromEnvironment(environment, DEFAULT_DOCKER_SOCKET);
  }

  /** Finds the builder from the process environment, as {@link #fromEnvironment(Map)} does. */
  public static Optional<BuilderEndpoint> fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static Optional<BuilderEndpoint> fromEnvironment(
      Map<String, String> environment, Path defaultDockerSocket) {
    String buildkitHost = nonEmpty(environment.get("BUILDKIT_HOST"));
    if (buildkitHost != null) {
      return Optional.of(parse(buildkitHost, "BUILDKIT_HOST", environment));
    }

    String dockerHost = nonEmpty(environment.get("DOCKER_HOST"));
    if (dockerHost != null) {
      return Optional.of(parseDockerAddress(dockerHost, "DOCKER_HOST", environment));
    }

    if (Files.exists(defaultDockerSocket)) {
      return Optional.of(new BuilderEndpoint(Kind.DOCKER_ENGINE, defaultDockerSocket, null, 0, null, false));
    }
    return Optional.empty();
  }

  private static BuilderEndpoint parse(String value, String label, Map<String, String> environment) {
    Objects.requireNonNull(value, "value");
    String trimmed = value.strip();

    if (trimmed.startsWith("docker://")) {
      String inner = trimmed.substring("docker://".length());
      if (inner.isEmpty()) {
        String dockerHost = nonEmpty(environment.get("DOCKER_HOST"));
        if (dockerHost == null) {
          return new BuilderEndpoint(Kind.DOCKER_ENGINE, DEFAULT_DOCKER_SOCKET, null, 0, null, false);
        }
        return parseDockerAddress(dockerHost, "DOCKER_HOST", environment);
      }
      return parseDockerAddress(inner, label, environment, value);
    }

    if (trimmed.startsWith("unix://")) {
      return new BuilderEndpoint(Kind.BUILDKITD, parseSocketPath(trimmed, label, value), null, 0, null, false);
    }

    if (trimmed.startsWith("tcp://")) {
      HostPort hostPort = parseHostPort(trimmed, label, value, -1);
      return new BuilderEndpoint(Kind.BUILDKITD, null, hostPort.host, hostPort.port, null, false);
    }

    throw invalid(label, value, unsupportedScheme(trimmed));
  }

  private static BuilderEndpoint parseDockerAddress(
      String address, String label, Map<String, String> environment) {
    return parseDockerAddress(address, label, environment, address);
  }

  private static BuilderEndpoint parseDockerAddress(
      String address, String label, Map<String, String> environment, String original) {
    if (address.startsWith("unix://")) {
      Path path = parseSocketPath(address, label, original);
      return new BuilderEndpoint(Kind.DOCKER_ENGINE, path, null, 0, null, false);
    }

    if (address.startsWith("tcp://")) {
      TlsConfig tls = dockerTls(environment);
      int defaultPort = tls == null ? DOCKER_PLAIN_PORT : DOCKER_TLS_PORT;
      HostPort hostPort = parseHostPort(address, label, original, defaultPort);
      return new BuilderEndpoint(Kind.DOCKER_ENGINE, null, hostPort.host, hostPort.port, tls, false);
    }

    throw invalid(label, original, unsupportedScheme(address));
  }

  /**
   * Returns the TLS settings the docker CLI derives from the environment: {@code DOCKER_TLS_VERIFY}
   * (any non-empty value) turns on TLS with server verification, {@code DOCKER_TLS} TLS without it,
   * and the files come from {@code DOCKER_CERT_PATH}, else the docker config folder.
   */
  private static TlsConfig dockerTls(Map<String, String> environment) {
    boolean verify = nonEmpty(environment.get("DOCKER_TLS_VERIFY")) != null;
    boolean tls = verify || nonEmpty(environment.get("DOCKER_TLS")) != null;
    if (!tls) {
      return null;
    }

    Path certPath = dockerCertPath(environment);
    TlsConfig config = TlsConfig.fromDirectory(certPath);
    return verify ? config : config.withoutServerVerification();
  }

  private static Path dockerCertPath(Map<String, String> environment) {
    String certPath = nonEmpty(environment.get("DOCKER_CERT_PATH"));
    if (certPath != null) {
      return Path.of(certPath);
    }
    String configDir = nonEmpty(environment.get("DOCKER_CONFIG"));
    if (configDir != null) {
      return Path.of(configDir);
    }
    String home = nonEmpty(environment.get("HOME"));
    return Path.of(home != null ? home : System.getProperty("user.home"), ".docker");
  }

  private static Path parseSocketPath(String address, String label, String original) {
    String path = address.substring("unix://".length());
    if (path.isEmpty()) {
      throw invalid(label, original, "the socket path is missing, as in unix:///run/buildkit/buildkitd.sock");
    }
    if (!path.startsWith("/")) {
      throw invalid(label, original, "the socket path must be absolute, as in unix:///run/buildkit/buildkitd.sock");
    }
    if (path.indexOf('\0') >= 0) {
      throw invalid(label, original, "the socket path contains a NUL character");
    }
    return Path.of(path).normalize();
  }

  private record HostPort(String host, int port) {}

  private static HostPort parseHostPort(String address, String label, String original, int defaultPort) {
    URI uri;
    try {
      uri = new URI(address);
    } catch (URISyntaxException e) {
      throw invalid(label, original, "it is not a valid tcp://host:port address");
    }

    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw invalid(label, original, "the host is missing, as in tcp://127.0.0.1:1234");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid(label, original, "only tcp://host:port is accepted, without user, query or fragment");
    }
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw invalid(label, original, "a tcp address takes no path, as in tcp://127.0.0.1:1234");
    }

    int port = uri.getPort();
    if (port < 0) {
      if (defaultPort < 0) {
        throw invalid(label, original, "the port is missing, as in tcp://" + host + ":1234");
      }
      port = defaultPort;
    }
    if (port == 0 || port > 65535) {
      throw invalid(label, original, "the port must be between 1 and 65535");
    }

    // URI keeps the brackets of an IPv6 literal; sockets want the bare address.
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new HostPort(host, port);
  }

  private static String unsupportedScheme(String address) {
    int schemeEnd = address.indexOf("://");
    if (schemeEnd > 0) {
      return "the scheme " + address.substring(0, schemeEnd + 3) + " is not supported";
    }
    return "it is not a builder address";
  }

  private static IllegalArgumentException invalid(String label, String value, String reason) {
    return new IllegalArgumentException(
        "invalid " + label + " \"" + value + "\": " + reason + "; " + ACCEPTED_FORMS);
  }

  private static String nonEmpty(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * Returns a copy with TLS settings for a TCP address.
   *
   * @throws IllegalArgumentException if the address is a unix socket, which takes no TLS
   */
  public BuilderEndpoint withTls(TlsConfig tls) {
    Objects.requireNonNull(tls, "tls");
    if (socketPath != null) {
      throw new IllegalArgumentException(
          "TLS settings apply only to tcp:// addresses, not to " + this);
    }
    return new BuilderEndpoint(kind, null, host, port, tls, gzip);
  }

  /**
   * Returns a copy whose Control calls send gzip-compressed messages, as Depot requests for its builders.
   * The responses are compressed or not as the builder chooses.
   */
  public BuilderEndpoint withGzip() {
    return new BuilderEndpoint(kind, socketPath, host, port, tls, true);
  }

  /** Returns whether calls to the builder compress their messages with gzip. */
  public boolean gzip() {
    return gzip;
  }

  public Kind kind() {
    return kind;
  }

  /** Returns the unix socket, for {@code unix://} addresses. */
  public Optional<Path> socketPath() {
    return Optional.ofNullable(socketPath);
  }

  /** Returns the host name or IP address, for {@code tcp://} addresses, IPv6 without brackets. */
  public Optional<String> host() {
    return Optional.ofNullable(host);
  }

  /** Returns the TCP port, or 0 for a unix socket. */
  public int port() {
    return port;
  }

  public Optional<TlsConfig> tls() {
    return Optional.ofNullable(tls);
  }

  /** Returns the address in the accepted form, such as {@code docker://tcp://docker:2376}. */
  @Override
  public String toString() {
    String address;
    if (socketPath != null) {
      address = "unix://" + socketPath;
    } else if (host.indexOf(':') >= 0) {
      address = "tcp://[" + host + "]:" + port;
    } else {
      address = "tcp://" + host + ":" + port;
    }
    return kind == Kind.DOCKER_ENGINE ? "docker://" + address : address;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BuilderEndpoint that
        && kind == that.kind
        && Objects.equals(socketPath, that.socketPath)
        && Objects.equals(host, that.host)
        && port == that.port
        && Objects.equals(tls, that.tls)
        && gzip == that.gzip;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, socketPath, host, port, tls, gzip);
  }
}
