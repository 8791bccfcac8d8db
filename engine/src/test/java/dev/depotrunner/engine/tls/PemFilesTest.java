package dev.depotrunner.engine.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.engine.tls.PemFiles.TlsFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

  static final Path TLS = Path.of("src/test/resources/tls");

  @TempDir Path dir;

  @Test
  void rsaKeyInPkcs1MatchesPkcs8() throws Exception {
    PrivateKey pkcs1 = PemFiles.readPrivateKey(TLS.resolve("client-key-pkcs1.pem"), "key");
    PrivateKey pkcs8 = PemFiles.readPrivateKey(TLS.resolve("client-key.pem"), "key");

    assertEquals("RSA", pkcs1.getAlgorithm());
    assertArrayEquals(pkcs8.getEncoded(), pkcs1.getEncoded());
  }

  @Test
  void ecKeyInSec1MatchesPkcs8() throws Exception {
    PrivateKey sec1 = PemFiles.readPrivateKey(TLS.resolve("server-key.pem"), "key");
    PrivateKey pkcs8 = PemFiles.readPrivateKey(TLS.resolve("server-key-pkcs8.pem"), "key");

    assertEquals("EC", sec1.getAlgorithm());
    assertEquals(
        ((java.security.interfaces.ECPrivateKey) pkcs8).getS(),
        ((java.security.interfaces.ECPrivateKey) sec1).getS());
  }

  @Test
  void certificatesReadInOrder() throws Exception {
    Path chain = dir.resolve("chain.pem");
    Files.writeString(
        chain, Files.readString(TLS.resolve("client.pem")) + Files.readString(TLS.resolve("ca.pem")));

    var certificates = PemFiles.readCertificates(chain, "the chain");

    assertEquals(2, certificates.size());
    assertTrue(certificates.get(0).getSubjectX500Principal().getName().contains("depot-runner client"));
  }

  @Test
  void missingFileNamesRoleAndPath() {
    Path missing = dir.resolve("key.pem");

    TlsFileException error =
        assertThrows(TlsFileException.class, () -> PemFiles.readPrivateKey(missing, "the TLS client key"));

    assertEquals("cannot use the TLS client key " + missing + ": file not found", error.getMessage());
  }

  @Test
  void encryptedKeyRejected() throws Exception {
    Path encrypted = dir.resolve("encrypted.pem");
    Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

    TlsFileException error =
        assertThrows(TlsFileException.class, () -> PemFiles.readPrivateKey(encrypted, "the TLS client key"));

    assertTrue(error.getMessage().endsWith("the key is encrypted; decrypt it first, e.g. with openssl pkey"), error.getMessage());
  }

  @Test
  void certificateFileWithoutKeyRejected() {
    TlsFileException error =
        assertThrows(
            TlsFileException.class, () -> PemFiles.readPrivateKey(TLS.resolve("ca.pem"), "the TLS client key"));

    assertTrue(error.getMessage().endsWith("it contains no PEM private key"), error.getMessage());
  }

  @Test
  void keyFileIsNoCertificate() {
    TlsFileException error =
        assertThrows(
            TlsFileException.class,
            () -> PemFiles.readCertificates(TLS.resolve("client-key.pem"), "the TLS CA certificate"));

    assertTrue(error.getMessage().startsWith("cannot use the TLS CA certificate "), error.getMessage());
  }
}
