package dev.depotrunner.buildkit.transport;

import dev.depotrunner.buildkit.transport.PemFiles.TlsFileException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds netty client TLS contexts from {@link TlsConfig} files. */
final class TlsContexts {

  private TlsContexts() {}

  /** Returns a context for gRPC over TLS (ALPN h2), as a buildkitd TCP listener expects. */
  static SslContext forGrpc(TlsConfig config) throws TlsFileException, SSLException {
    return configure(GrpcSslContexts.forClient(), config).build();
  }

  /** Returns a context for HTTP/1.1 over TLS, as the Docker Engine API expects before the upgrade. */
  static SslContext forHttp(TlsConfig config) throws TlsFileException, SSLException {
    return configure(SslContextBuilder.forClient(), config).build();
  }

  private static SslContextBuilder configure(SslContextBuilder builder, TlsConfig config)
      throws TlsFileException {
    if (config.pem().isPresent()) {
      return configureFromMemory(builder, config, config.pem().get());
    }
    if (!config.verifyServer()) {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else if (config.caCertificate().isPresent()) {
      List<X509Certificate> authorities =
          PemFiles.readCertificates(config.caCertificate().get(), "the TLS CA certificate");
      builder.trustManager(authorities);
    }

    Path certificate = config.clientCertificate().orElse(null);
    Path key = config.clientKey().orElse(null);
    boolean skipClientPair =
        config.clientPairOptional()
            && certificate != null
            && !Files.exists(certificate)
            && !Files.exists(key);
    if (certificate != null && !skipClientPair) {
      List<X509Certificate> chain = PemFiles.readCertificates(certificate, "the TLS client certificate");
      PrivateKey privateKey = PemFiles.readPrivateKey(key, "the TLS client key");
      builder.keyManager(privateKey, chain);
    }
    return builder;
  }

  private static SslContextBuilder configureFromMemory(
      SslContextBuilder builder, TlsConfig config, TlsConfig.PemText pem) throws TlsFileException {
    if (!config.verifyServer()) {
      builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
    } else if (pem.caCertificate() != null) {
      builder.trustManager(PemFiles.parseCertificates(
          ascii(pem.caCertificate()), "the TLS CA certificate", IN_MEMORY));
    }

    if (pem.clientCertificate() != null) {
      List<X509Certificate> chain =
          PemFiles.parseCertificates(ascii(pem.clientCertificate()), "the TLS client certificate", IN_MEMORY);
      PrivateKey privateKey = PemFiles.parsePrivateKey(ascii(pem.clientKey()), "the TLS client key", IN_MEMORY);
      builder.keyManager(privateKey, chain);
    }
    return builder;
  }

  private static final String IN_MEMORY = "(PEM text from the builder's settings)";

  private static byte[] ascii(String pem) {
    return pem.getBytes(StandardCharsets.US_ASCII);
  }
}
