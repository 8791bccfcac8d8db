package dev.depotrunner.buildkit.ssh;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;

/**
 * A private key held by the in-memory agent: its public key blob in SSH wire format, a comment,
 * and signing as the ssh-agent protocol (draft-miller-ssh-agent) defines it.
 */
abstract sealed class AgentKey {

  /** SSH_AGENT_RSA_SHA2_256: sign with rsa-sha2-256 instead of ssh-rsa. */
  static final int RSA_SHA2_256 = 0x02;

  /** SSH_AGENT_RSA_SHA2_512: sign with rsa-sha2-512 instead of ssh-rsa. */
  static final int RSA_SHA2_512 = 0x04;

  private final String comment;

  private AgentKey(String comment) {
    this.comment = comment;
  }

  /** The key type name, such as {@code ssh-ed25519}. */
  abstract String type();

  /** Returns the public key in SSH wire format, the form identities answers and sign requests use. */
  abstract byte[] publicKeyBlob();

  /**
   * Signs {@code data} and returns the SSH signature blob: the algorithm name and the signature.
   *
   * @param flags the sign request's flags; only RSA keys use them, as in OpenSSH's ssh-agent
   */
  abstract byte[] sign(byte[] data, int flags) throws GeneralSecurityException;

  /** Returns whether an SSH signature blob is a valid signature of {@code data} by this key. */
  abstract boolean verify(byte[] data, byte[] signatureBlob) throws GeneralSecurityException;

  String comment() {
    return comment;
  }

  /** Signs a fixed message and verifies it, to catch a private key that does not match its public key. */
  void checkConsistency() throws GeneralSecurityException {
    byte[] probe = "depot-runner key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    if (!verify(probe, sign(probe, 0))) {
      throw new GeneralSecurityException("the private key does not match its public key");
    }
  }

  static AgentKey ed25519(byte[] seed, String comment) throws GeneralSecurityException {
    return new Ed25519(seed, comment);
  }

  static AgentKey rsa(
      BigInteger modulus,
      BigInteger publicExponent,
      BigInteger privateExponent,
      BigInteger primeP,
      BigInteger primeQ,
      BigInteger crtCoefficient,
      String comment)
      throws GeneralSecurityException {
    return new Rsa(
        modulus, publicExponent, privateExponent, primeP, primeQ, crtCoefficient, comment);
  }

  static AgentKey ecdsa(String curveName, byte[] publicPoint, BigInteger privateValue, String comment)
      throws GeneralSecurityException {
    return new Ecdsa(curveName, publicPoint, privateValue, comment);
  }

  private static byte[] signatureBlob(String algorithm, byte[] signature) {
    return new SshWireWriter().writeString(algorithm).writeString(signature).toByteArray();
  }

  /** An Ed25519 key (RFC 8709). */
  static final class Ed25519 extends AgentKey {
    private static final byte[] X509_PREFIX = {
      0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final byte[] rawPublicKey;

    private Ed25519(byte[] seed, String comment) throws GeneralSecurityException {
      super(comment);
      if (seed.length != 32) {
        throw new GeneralSecurityException("an Ed25519 private key has 32 bytes, not " + seed.length);
      }
      this.privateKey =
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));

      // The JDK cannot derive a public key from a private one, but its generator takes the
      // private key from the first 32 bytes of its random source.
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
      this.publicKey = generator.generateKeyPair().getPublic();
      byte[] encoded = publicKey.getEncoded();
      this.rawPublicKey = Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
    }

    @Override
    String type() {
      return "ssh-ed25519";
    }

    @Override
    byte[] publicKeyBlob() {
      return new SshWireWriter().writeString(type()).writeString(rawPublicKey).toByteArray();
    }

    @Override
    byte[] sign(byte[] data, int flags) throws GeneralSecurityException {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(data);
      return signatureBlob(type(), signer.sign());
    }

    @Override
    boolean verify(byte[] data, byte[] signatureBlob) throws GeneralSecurityException {
      SignatureParts parts = SignatureParts.parse(signatureBlob);
      if (!parts.algorithm().equals(type())) {
        return false;
      }
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(parts.signature());
    }
  }

  /** An RSA key, signing with ssh-rsa (SHA-1), rsa-sha2-256 or rsa-sha2-512 (RFC 8332). */
  static final class Rsa extends AgentKey {
    private final RSAPrivateCrtKey privateKey;
    private final PublicKey publicKey;
    private final BigInteger modulus;
    private final BigInteger publicExponent;

    private Rsa(
        BigInteger modulus,
        BigInteger publicExponent,
        BigInteger privateExponent,
        BigInteger primeP,
        BigInteger primeQ,
        BigInteger crtCoefficient,
        String comment)
        throws GeneralSecurityException {
      super(comment);
      this.modulus = modulus;
      this.publicExponent = publicExponent;
      KeyFactory factory = KeyFactory.getInstance("RSA");
      this.privateKey =
          (RSAPrivateCrtKey)
              factory.generatePrivate(
                  new RSAPrivateCrtKeySpec(
                      modulus,
                      publicExponent,
                      privateExponent,
                      primeP,
                      primeQ,
                      privateExponent.mod(primeP.subtract(BigInteger.ONE)),
                      privateExponent.mod(primeQ.subtract(BigInteger.ONE)),
                      crtCoefficient));
      this.publicKey = factory.generatePublic(new RSAPublicKeySpec(modulus, publicExponent));
    }

    @Override
    String type() {
      return "ssh-rsa";
    }

    @Override
    byte[] publicKeyBlob() {
      return new SshWireWriter()
          .writeString(type())
          .writeMpint(publicExponent)
          .writeMpint(modulus)
          .toByteArray();
    }

    @Override
    byte[] sign(byte[] data, int flags) throws GeneralSecurityException {
      // OpenSSH's ssh-agent checks the SHA-256 flag first when a client sets both.
      String algorithm;
      String jdkAlgorithm;
      if ((flags & RSA_SHA2_256) != 0) {
        algorithm = "rsa-sha2-256";
        jdkAlgorithm = "SHA256withRSA";
      } else if ((flags & RSA_SHA2_512) != 0) {
        algorithm = "rsa-sha2-512";
        jdkAlgorithm = "SHA512withRSA";
      } else {
        algorithm = "ssh-rsa";
        jdkAlgorithm = "SHA1withRSA";
      }

      Signature signer = Signature.getInstance(jdkAlgorithm);
      signer.initSign(privateKey);
      signer.update(data);
      return signatureBlob(algorithm, signer.sign());
    }

    @Override
    boolean verify(byte[] data, byte[] signatureBlob) throws GeneralSecurityException {
      SignatureParts parts = SignatureParts.parse(signatureBlob);
      String jdkAlgorithm =
          switch (parts.algorithm()) {
            case "ssh-rsa" -> "SHA1withRSA";
            case "rsa-sha2-256" -> "SHA256withRSA";
            case "rsa-sha2-512" -> "SHA512withRSA";
            default -> null;
          };
      if (jdkAlgorithm == null) {
        return false;
      }
      Signature verifier = Signature.getInstance(jdkAlgorithm);
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(parts.signature());
    }
  }

  /** An ECDSA key on NIST P-256, P-384 or P-521 (RFC 5656). */
  static final class Ecdsa extends AgentKey {
    private final String curveName;
    private final byte[] publicPoint;
    private final ECPrivateKey privateKey;
    private final PublicKey publicKey;
    private final String jdkAlgorithm;

    private Ecdsa(String curveName, byte[] publicPoint, BigInteger privateValue, String comment)
        throws GeneralSecurityException {
      super(comment);
      this.curveName = curveName;
      this.publicPoint = publicPoint.clone();
      String standardName;
      switch (curveName) {
        case "nistp256" -> {
          standardName = "secp256r1";
          jdkAlgorithm = "SHA256withECDSAinP1363Format";
        }
        case "nistp384" -> {
          standardName = "secp384r1";
          jdkAlgorithm = "SHA384withECDSAinP1363Format";
        }
        case "nistp521" -> {
          standardName = "secp521r1";
          jdkAlgorithm = "SHA512withECDSAinP1363Format";
        }
        default -> throw new GeneralSecurityException("unsupported ECDSA curve " + curveName);
      }

      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(standardName));
      ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
      KeyFactory factory = KeyFactory.getInstance("EC");
      this.privateKey =
          (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(privateValue, curve));
      this.publicKey =
          factory.generatePublic(new ECPublicKeySpec(decodePoint(publicPoint, curve), curve));
    }

    @Override
    String type() {
      return "ecdsa-sha2-" + curveName;
    }

    @Override
    byte[] publicKeyBlob() {
      return new SshWireWriter()
          .writeString(type())
          .writeString(curveName)
          .writeString(publicPoint)
          .toByteArray();
    }

    @Override
    byte[] sign(byte[] data, int flags) throws GeneralSecurityException {
      Signature signer = Signature.getInstance(jdkAlgorithm);
      signer.initSign(privateKey);
      signer.update(data);
      byte[] fixed = signer.sign();

      // The JDK returns r and s as two big-endian halves; SSH wants them as two mpints.
      int half = fixed.length / 2;
      BigInteger r = new BigInteger(1, Arrays.copyOfRange(fixed, 0, half));
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(fixed, half, fixed.length));
      byte[] signature = new SshWireWriter().writeMpint(r).writeMpint(s).toByteArray();
      return signatureBlob(type(), signature);
    }

    @Override
    boolean verify(byte[] data, byte[] signatureBlob) throws GeneralSecurityException {
      SignatureParts parts = SignatureParts.parse(signatureBlob);
      if (!parts.algorithm().equals(type())) {
        return false;
      }
      BigInteger r;
      BigInteger s;
      try {
        var reader = new SshWireReader(parts.signature());
        r = reader.readMpint();
        s = reader.readMpint();
      } catch (SshWireReader.SshFormatException e) {
        return false;
      }

      int size = (privateKey.getParams().getCurve().getField().getFieldSize() + 7) / 8;
      byte[] fixed = new byte[size * 2];
      if (!copyUnsigned(r, fixed, 0, size) || !copyUnsigned(s, fixed, size, size)) {
        return false;
      }
      Signature verifier = Signature.getInstance(jdkAlgorithm);
      verifier.initVerify(publicKey);
      verifier.update(data);
      return verifier.verify(fixed);
    }

    private static boolean copyUnsigned(BigInteger value, byte[] target, int offset, int size) {
      byte[] bytes = value.toByteArray();
      int start = bytes.length > size && bytes[0] == 0 ? 1 : 0;
      int length = bytes.length - start;
      if (value.signum() < 0 || length > size) {
        return false;
      }
      System.arraycopy(bytes, start, target, offset + size - length, length);
      return true;
    }

    private static ECPoint decodePoint(byte[] encoded, ECParameterSpec curve)
        throws GeneralSecurityException {
      int size = (curve.getCurve().getField().getFieldSize() + 7) / 8;
      if (encoded.length != 1 + 2 * size || encoded[0] != 0x04) {
        throw new GeneralSecurityException("the ECDSA public key is not an uncompressed point");
      }
      BigInteger x = new BigInteger(1, Arrays.copyOfRange(encoded, 1, 1 + size));
      BigInteger y = new BigInteger(1, Arrays.copyOfRange(encoded, 1 + size, encoded.length));
      return new ECPoint(x, y);
    }
  }

  /** The algorithm name and raw signature of an SSH signature blob. */
  record SignatureParts(String algorithm, byte[] signature) {
    static SignatureParts parse(byte[] blob) throws GeneralSecurityException {
      try {
        var reader = new SshWireReader(blob);
        return new SignatureParts(reader.readUtf8(), reader.readString());
      } catch (SshWireReader.SshFormatException e) {
        throw new GeneralSecurityException("invalid SSH signature: " + e.getMessage());
      }
    }
  }

  /** A random source that returns one given block of bytes. */
  private static final class FixedRandom extends SecureRandom {
    private final byte[] bytes;
    private boolean used;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] output) {
      if (used || output.length != bytes.length) {
        throw new IllegalStateException("the Ed25519 generator requested unexpected random bytes");
      }
      used = true;
      System.arraycopy(bytes, 0, output, 0, bytes.length);
    }
  }
}
