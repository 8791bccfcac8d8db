package dev.depotrunner.controlplane;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at start and kept in memory: it signs the builder's server certificate
 * and the client certificates handed out with each connection. Keys are EC P-256, certificates are
 * valid for one day.
 */
final class CertificateAuthority {

  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair keys;
  private final X509Certificate certificate;

  /** A certificate with its private key. */
  record Issued(X509Certificate certificate, PrivateKey privateKey) {
    String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    String privateKeyPem() {
      return pem("PRIVATE KEY", privateKey.getEncoded());
    }
  }

  private CertificateAuthority(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  static CertificateAuthority create(String name) throws GeneralSecurityException {
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    var builder = new JcaX509v3CertificateBuilder(
        subject, serial(), notBefore(), notAfter(), subject, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot encode the CA certificate's extensions", e);
    }
    return new CertificateAuthority(keys, sign(builder, keys.getPrivate()));
  }

  X509Certificate certificate() {
    return certificate;
  }

  String certificatePem() {
    return pem("CERTIFICATE", encoded(certificate));
  }

  /** Issues a server certificate for the DNS name {@code serverName} and the address 127.0.0.1. */
  Issued issueServer(String serverName) throws GeneralSecurityException {
    GeneralNames names = new GeneralNames(new GeneralName[] {
      new GeneralName(GeneralName.dNSName, serverName),
      new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
    });
    return issue(serverName, KeyPurposeId.id_kp_serverAuth, names);
  }

  /** Issues a client certificate with {@code commonName} as its subject. */
  Issued issueClient(String commonName) throws GeneralSecurityException {
    return issue(commonName, KeyPurposeId.id_kp_clientAuth, null);
  }

  private Issued issue(String commonName, KeyPurposeId purpose, GeneralNames names) throws GeneralSecurityException {
    KeyPair subjectKeys = newKeyPair();
    var builder = new JcaX509v3CertificateBuilder(
        certificate, serial(), notBefore(), notAfter(), new X500Name("CN=" + commonName), subjectKeys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (names != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, names);
      }
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot encode the certificate's extensions", e);
    }
    return new Issued(sign(builder, keys.getPrivate()), subjectKeys.getPrivate());
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256, RANDOM);
    return generator.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign the certificate", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM);
  }

  // Backdated a little, so that a clock that lags by a few minutes still accepts the certificate.
  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofMinutes(5)));
  }

  private static Date notAfter() {
    return Date.from(Instant.now().plus(VALIDITY));
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a certificate made here cannot be encoded", e);
    }
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
