package dev.depotrunner.steps.build.options;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the BuildKit builder listens ({@code --builder}, or {@code BUILDKIT_HOST}) and the TLS files to
 * reach it, as buildctl takes them ({@code --tlscacert}, {@code --tlscert}, {@code --tlskey},
 * {@code --tlsdir}, {@code --tlsservername}).
 *
 * @param address such as {@code unix:///run/buildkit/buildkitd.sock} or {@code tcp://127.0.0.1:1234};
 *     empty to let the runner pick its default builder
 * @param caCertificate the CA certificate that signs the builder's certificate, or empty for the system's
 * @param clientCertificate the client certificate, present exactly when {@code clientKey} is
 * @param serverName the name to verify the builder's certificate against, or empty for the address host
 */
public record BuilderEndpoint(
    Optional<String> address,
    Optional<Path> caCertificate,
    Optional<Path> clientCertificate,
    Optional<Path> clientKey,
    Optional<String> serverName) {

  /** An endpoint without address or TLS settings. */
  public static BuilderEndpoint unspecified() {
    return new BuilderEndpoint(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Checks that an address has the form {@code scheme://...}.
   *
   * @throws InvalidOptionException naming the value and an example
   */
  public static String parseAddress(String address) {
    try {
      URI uri = new URI(address);
      if (uri.getScheme() != null && address.contains("://")) {
        return address;
      }
    } catch (URISyntaxException e) {
      // Reported below with the expected form.
    }
    throw new InvalidOptionException(
        "invalid builder address \"" + address
            + "\": use scheme://location, such as unix:///run/buildkit/buildkitd.sock or tcp://127.0.0.1:1234");
  }

  /** Returns whether any TLS file is set, so that the connection must use TLS. */
  public boolean usesTls() {
    return caCertificate.isPresent() || clientCertificate.isPresent();
  }

  /**
   * Returns the name the builder's certificate must carry: {@link #serverName()} when set, else the host of
   * the address, as buildctl does.
   */
  public Optional<String> effectiveServerName() {
    if (serverName.isPresent()) {
      return serverName;
    }
    return address.flatMap(
        value -> {
          try {
            return Optional.ofNullable(new URI(value).getHost());
          } catch (URISyntaxException e) {
            return Optional.empty();
          }
        });
  }
}
