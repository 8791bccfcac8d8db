package dev.depotrunner.buildkit.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/** Registry host names as the docker CLI normalizes them for credential lookups. */
final class RegistryHosts {

  /** The key under which {@code docker login} stores Docker Hub credentials. */
  static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";

  private static final Set<String> DOCKER_HUB_HOSTS =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io");

  private RegistryHosts() {}

  /**
   * Returns the docker config key for a registry: {@link #DOCKER_HUB_CONFIG_KEY} for Docker Hub
   * (BuildKit requests {@code registry-1.docker.io}), otherwise the host and port without scheme
   * or path.
   */
  static String configKey(String host) {
    if (host.equals(DOCKER_HUB_CONFIG_KEY)) {
      return host;
    }

    String hostname = toHostname(host);
    if (DOCKER_HUB_HOSTS.contains(hostname)) {
      return DOCKER_HUB_CONFIG_KEY;
    }
    return hostname;
  }

  /** Returns whether a host name (without scheme) names Docker Hub. */
  static boolean isDockerHub(String hostname) {
    return DOCKER_HUB_HOSTS.contains(hostname);
  }

  /**
   * Strips the scheme and path from a config key, as docker's {@code ConvertToHostname} does:
   * {@code https://ghcr.io/v2/} becomes {@code ghcr.io}, {@code localhost:5000/x} becomes
   * {@code localhost:5000}.
   */
  static String toHostname(String maybeUrl) {
    int schemeEnd = maybeUrl.indexOf("://");
    if (schemeEnd < 0) {
      return beforeSlash(maybeUrl);
    }

    try {
      URI uri = new URI(maybeUrl);
      String host = uri.getHost();
      if (host != null && !host.isEmpty()) {
        if (uri.getPort() < 0) {
          return stripBrackets(host);
        }
        return host + ":" + uri.getPort();
      }
    } catch (URISyntaxException e) {
      // Docker falls back to the text between the scheme and the first slash, as below.
    }
    return beforeSlash(maybeUrl.substring(schemeEnd + 3));
  }

  private static String beforeSlash(String value) {
    int slash = value.indexOf('/');
    return slash < 0 ? value : value.substring(0, slash);
  }

  private static String stripBrackets(String host) {
    if (host.startsWith("[") && host.endsWith("]")) {
      return host.substring(1, host.length() - 1);
    }
    return host;
  }
}
