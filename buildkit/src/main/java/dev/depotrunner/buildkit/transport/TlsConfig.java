package dev.depotrunner.buildkit.transport;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS settings for a TCP builder address: the CA certificate that signs the server certificate, the
 * client certificate and key for mutual TLS, and an optional server name to verify in place of the
 * host name.
 *
 * <p>The certificates and key are either files, read when the connection opens so that a missing file
 * is reported by {@link BuilderConnections#open} with its path, or PEM text held in memory ({@link
 * #fromPem}), which is never written to disk.
 */
public final class TlsConfig {

  private final Path caCertificate;
  private final Path clientCertificate;
  private final Path clientKey;
  private final String serverName;
  private final boolean verifyServer;
  private final boolean clientPairOptional;
  private final PemText pem;

  /** Certificates and key as PEM text; null fields are absent. */
  record PemText(String caCertificate, String clientCertificate, String clientKey) {}

  private TlsConfig(
      Path caCertificate,
      Path clientCertificate,
      Path clientKey,
      String serverName,
      boolean verifyServer,
      boolean clientPairOptional) {
    this(caCertificate, clientCertificate, clientKey, serverName, verifyServer, clientPairOptional, null);
  }

  private TlsConfig(
      Path caCertificate,
      Path clientCertificate,
      Path clientKey,
      String serverName,
      boolean verifyServer,
      boolean clientPairOptional,
      PemText pem) {
    this.caCertificate = caCertificate;
    this.clientCertificate = clientCertificate;
    this.clientKey = clientKey;
    this.serverName = serverName;
    this.verifyServer = verifyServer;
    this.clientPairOptional = clientPairOptional;
    this.pem = pem;
  }

  /**
   * Creates settings from PEM text in memory, such as the certificates Depot's API returns for a
   * builder. The text is parsed when the connection opens and is never written to disk. Without a CA
   * certificate the JDK's default trust store verifies the server.
   *
   * @throws IllegalArgumentException if only one of the client certificate and key is given
   */
  public static TlsConfig fromPem(String caCertificate, String clientCertificate, String clientKey) {
    String ca = blankToNull(caCertificate);
    String certificate = blankToNull(clientCertificate);
    String key = blankToNull(clientKey);
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException(
          "invalid TLS settings: the client certificate and client key must be given together"
              + " (certificate " + (certificate == null ? "missing" : "given")
              + ", key " + (key == null ? "missing" : "given") + ")");
    }
    return new TlsConfig(null, null, null, null, true, false, new PemText(ca, certificate, key));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * Creates settings from single files. Without a CA certificate the JDK's default trust store
   * verifies the server. The client certificate and key come as a pair or not at all.
   *
   * @throws IllegalArgumentException if only one of the client certificate and key is given
   */
  public static TlsConfig fromFiles(Path caCertificate, Path clientCertificate, Path clientKey) {
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "invalid TLS settings: the client certificate and client key must be given together"
              + " (certificate: " + clientCertificate + ", key: " + clientKey + ")");
    }
    return new TlsConfig(caCertificate, clientCertificate, clientKey, null, true, false);
  }

  /**
   * Creates settings from a folder containing {@code ca.pem}, {@code cert.pem} and {@code key.pem}, the
   * layout that {@code buildctl --tlsdir} and {@code DOCKER_CERT_PATH} use. As with the docker CLI,
   * the client pair is left out when neither {@code cert.pem} nor {@code key.pem} exists.
   */
  public static TlsConfig fromDirectory(Path directory) {
    Objects.requireNonNull(directory, "directory");
    return new TlsConfig(
        directory.resolve("ca.pem"),
        directory.resolve("cert.pem"),
        directory.resolve("key.pem"),
        null,
        true,
        true);
  }

  /** Returns a copy that verifies the server certificate against {@code serverName}. */
  public TlsConfig withServerName(String serverName) {
    if (serverName != null && serverName.isBlank()) {
      throw new IllegalArgumentException("invalid TLS server name \"" + serverName + "\": it is blank");
    }
    return new TlsConfig(
        caCertificate, clientCertificate, clientKey, serverName, verifyServer, clientPairOptional, pem);
  }

  /**
   * Returns a copy that accepts any server certificate, as the docker CLI does for {@code DOCKER_TLS=1}
   * without {@code DOCKER_TLS_VERIFY}. The client certificate is still sent.
   */
  public TlsConfig withoutServerVerification() {
    return new TlsConfig(
        caCertificate, clientCertificate, clientKey, serverName, false, clientPairOptional, pem);
  }

  public Optional<Path> caCertificate() {
    return Optional.ofNullable(caCertificate);
  }

  public Optional<Path> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  public Optional<Path> clientKey() {
    return Optional.ofNullable(clientKey);
  }

  public Optional<String> serverName() {
    return Optional.ofNullable(serverName);
  }

  public boolean verifyServer() {
    return verifyServer;
  }

  /** Returns the PEM text of {@link #fromPem} settings, or empty for settings that name files. */
  Optional<PemText> pem() {
    return Optional.ofNullable(pem);
  }

  /** Returns whether the client pair may be absent on disk, as for a {@link #fromDirectory} folder. */
  boolean clientPairOptional() {
    return clientPairOptional;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TlsConfig that
        && Objects.equals(caCertificate, that.caCertificate)
        && Objects.equals(clientCertificate, that.clientCertificate)
        && Objects.equals(clientKey, that.clientKey)
        && Objects.equals(serverName, that.serverName)
        && verifyServer == that.verifyServer
        && clientPairOptional == that.clientPairOptional
        && Objects.equals(pem, that.pem);
  }

  @Override
  public int hashCode() {
    // The PEM text stays out of the hash, so that the key does not influence a visible value.
    return Objects.hash(caCertificate, clientCertificate, clientKey, serverName, verifyServer, pem == null);
  }

  /** Describes the settings; PEM text in memory is never shown, the private key least of all. */
  @Override
  public String toString() {
    String files = pem == null
        ? "ca=" + caCertificate + ", cert=" + clientCertificate + ", key=" + clientKey
        : "ca=" + (pem.caCertificate() == null ? "none" : "PEM in memory")
            + ", client pair=" + (pem.clientCertificate() == null ? "none" : "PEM in memory");
    return "TlsConfig{" + files
        + (serverName == null ? "" : ", serverName=" + serverName)
        + (verifyServer ? "" : ", verifyServer=false") + "}";
  }
}
