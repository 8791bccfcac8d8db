package dev.depotrunner.engine.tls;

import dev.depotrunner.engine.tls.PemFiles.TlsFileException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds JDK TLS client contexts from PEM files, as a Docker Engine's TLS port expects them. */
public final class SslContexts {

  private SslContexts() {}

  /**
   * Builds a client context.
   *
   * @param caCertificate the certificates that sign the server's, or null for the JDK's default trust store
   * @param clientCertificate the client certificate chain for mutual TLS, or null for none
   * @param clientKey the client certificate's key; given exactly when {@code clientCertificate} is
   * @param verifyServer whether to check the server's certificate chain; false accepts any server, as the
   *     docker CLI does for {@code DOCKER_TLS} without {@code DOCKER_TLS_VERIFY}
   * @throws TlsFileException if a file is missing or not a PEM certificate or key; the message names it
   */
  public static SSLContext forClient(Path caCertificate, Path clientCertificate, Path clientKey, boolean verifyServer)
      throws TlsFileException, GeneralSecurityException {
    TrustManager[] trust = null;
    if (!verifyServer) {
      trust = new TrustManager[] {new TrustingManager()};
    } else if (caCertificate != null) {
      trust = trustManagers(PemFiles.readCertificates(caCertificate, "the TLS CA certificate"));
    }

    KeyManager[] keys = null;
    if (clientCertificate != null) {
      List<X509Certificate> chain = PemFiles.readCertificates(clientCertificate, "the TLS client certificate");
      PrivateKey key = PemFiles.readPrivateKey(clientKey, "the TLS client key");
      keys = keyManagers(chain, key);
    }

    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust, null);
    return context;
  }

  private static TrustManager[] trustManagers(List<X509Certificate> authorities) throws GeneralSecurityException {
    KeyStore store = emptyStore();
    for (int i = 0; i < authorities.size(); i++) {
      store.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  private static KeyManager[] keyManagers(List<X509Certificate> chain, PrivateKey key) throws GeneralSecurityException {
    KeyStore store = emptyStore();
    char[] password = new char[0];
    store.setKeyEntry("client", key, password, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("creating an empty key store failed", e);
    }
    return store;
  }

  /** Accepts every server certificate; used only when the user turned server verification off. */
  private static final class TrustingManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
