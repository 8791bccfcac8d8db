package dev.depotrunner.buildkit.ssh;

import dev.depotrunner.engine.tls.DerReader;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Parses unencrypted SSH private key files: the OpenSSH format ({@code BEGIN OPENSSH PRIVATE KEY},
 * what ssh-keygen writes by default) with Ed25519, RSA and ECDSA keys, and the PEM formats older
 * ssh-keygen versions and OpenSSL write (PKCS#1 {@code RSA PRIVATE KEY}, SEC1
 * {@code EC PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}).
 *
 * <p>Encrypted keys are rejected, as BuildKit's sshprovider rejects them, because there is no
 * terminal to ask for the passphrase.
 */
final class PrivateKeyParser {

  private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

  private static final String OID_RSA = "1.2.840.113549.1.1.1";
  private static final String OID_EC = "1.2.840.10045.2.1";
  private static final String OID_ED25519 = "1.3.101.112";

  private PrivateKeyParser() {}

  /**
   * Returns the keys in a key file.
   *
   * @param source the file's path, for messages and as the comment of keys that have none
   */
  static List<AgentKey> parse(byte[] data, String source) throws SshAgentException {
    Pem pem = Pem.find(new String(data, StandardCharsets.US_ASCII), source);
    try {
      List<AgentKey> keys = parseBlock(pem, source);
      for (AgentKey key : keys) {
        key.checkConsistency();
      }
      return keys;
    } catch (DerReader.DerException | SshWireReader.SshFormatException e) {
      throw new SshAgentException(source + " is not a valid private key: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new SshAgentException(source + " contains an unusable key: " + e.getMessage(), e);
    }
  }

  private static List<AgentKey> parseBlock(Pem pem, String source)
      throws DerReader.DerException,
          SshWireReader.SshFormatException,
          GeneralSecurityException,
          SshAgentException {
    return switch (pem.label()) {
      case "OPENSSH PRIVATE KEY" -> parseOpenSsh(pem, source);
      case "RSA PRIVATE KEY" -> List.of(parsePkcs1(new DerReader(pem.body()), source));
      case "EC PRIVATE KEY" -> List.of(parseSec1(new DerReader(pem.body()), null, source));
      case "PRIVATE KEY" -> List.of(parsePkcs8(pem.body(), source));
      case "ENCRYPTED PRIVATE KEY" -> throw encrypted(source);
      case "DSA PRIVATE KEY" -> throw new SshAgentException(
          source + " is a DSA key, which is not supported; use an Ed25519, RSA or ECDSA key");
      default -> throw new SshAgentException(
          source + " contains a \"" + pem.label() + "\" block, not an SSH private key");
    };
  }

  static SshAgentException encrypted(String source) {
    return new SshAgentException(
        source
            + " is encrypted with a passphrase, which cannot be entered in a build; load it into an"
            + " ssh-agent with ssh-add and pass the agent socket instead");
  }

  /** Parses the OpenSSH format of ssh-keygen's PROTOCOL.key. */
  private static List<AgentKey> parseOpenSsh(Pem pem, String source)
      throws SshWireReader.SshFormatException, GeneralSecurityException, SshAgentException {
    byte[] body = pem.body();
    if (body.length < OPENSSH_MAGIC.length
        || !Arrays.equals(body, 0, OPENSSH_MAGIC.length, OPENSSH_MAGIC, 0, OPENSSH_MAGIC.length)) {
      throw new SshWireReader.SshFormatException("missing the openssh-key-v1 header");
    }
    var reader = new SshWireReader(Arrays.copyOfRange(body, OPENSSH_MAGIC.length, body.length));

    String cipher = reader.readUtf8();
    reader.readUtf8(); // KDF name, only used by encrypted keys
    reader.readString(); // KDF options
    if (!cipher.equals("none")) {
      throw encrypted(source);
    }

    long count = reader.readUint32();
    if (count < 1 || count > 16) {
      throw new SshWireReader.SshFormatException("unexpected key count " + count);
    }
    List<byte[]> publicBlobs = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      publicBlobs.add(reader.readString());
    }

    // Unencrypted, the two check integers are equal; encrypted with a wrong key they would differ.
    var section = new SshWireReader(reader.readString());
    if (section.readUint32() != section.readUint32()) {
      throw new SshWireReader.SshFormatException("check integers differ");
    }

    List<AgentKey> keys = new ArrayList<>();
    for (byte[] publicBlob : publicBlobs) {
      AgentKey key = readOpenSshKey(section, source);
      if (!Arrays.equals(key.publicKeyBlob(), publicBlob)) {
        throw new GeneralSecurityException("the private key does not match the public key");
      }
      keys.add(key);
    }
    return keys;
  }

  private static AgentKey readOpenSshKey(SshWireReader section, String source)
      throws SshWireReader.SshFormatException, GeneralSecurityException, SshAgentException {
    String type = section.readUtf8();
    switch (type) {
      case "ssh-ed25519" -> {
        byte[] publicKey = section.readString();
        byte[] privateKey = section.readString();
        if (publicKey.length != 32 || privateKey.length != 64) {
          throw new SshWireReader.SshFormatException("invalid Ed25519 key lengths");
        }
        // OpenSSH stores the 32-byte seed followed by the public key.
        byte[] seed = Arrays.copyOf(privateKey, 32);
        return AgentKey.ed25519(seed, commentOr(section.readUtf8(), source));
      }
      case "ssh-rsa" -> {
        BigInteger modulus = section.readMpint();
        BigInteger publicExponent = section.readMpint();
        BigInteger privateExponent = section.readMpint();
        BigInteger crtCoefficient = section.readMpint();
        BigInteger primeP = section.readMpint();
        BigInteger primeQ = section.readMpint();
        return AgentKey.rsa(
            modulus,
            publicExponent,
            privateExponent,
            primeP,
            primeQ,
            crtCoefficient,
            commentOr(section.readUtf8(), source));
      }
      case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> {
        String curve = section.readUtf8();
        byte[] point = section.readString();
        BigInteger privateValue = section.readMpint();
        return AgentKey.ecdsa(curve, point, privateValue, commentOr(section.readUtf8(), source));
      }
      default -> throw new SshAgentException(
          source
              + " contains a "
              + type
              + " key, which is not supported; use an Ed25519, RSA or ECDSA key without a"
              + " security key");
    }
  }

  /** Parses a PKCS#1 RSAPrivateKey (RFC 8017 appendix A.1.2). */
  private static AgentKey parsePkcs1(DerReader der, String source)
      throws DerReader.DerException, GeneralSecurityException {
    DerReader key = der.read(DerReader.SEQUENCE);
    BigInteger version = key.readInteger();
    if (version.signum() != 0) {
      throw new DerReader.DerException("multi-prime RSA keys are not supported");
    }
    BigInteger modulus = key.readInteger();
    BigInteger publicExponent = key.readInteger();
    BigInteger privateExponent = key.readInteger();
    BigInteger primeP = key.readInteger();
    BigInteger primeQ = key.readInteger();
    key.readInteger(); // d mod (p-1), computed again from d
    key.readInteger(); // d mod (q-1)
    BigInteger crtCoefficient = key.readInteger();
    return AgentKey.rsa(
        modulus, publicExponent, privateExponent, primeP, primeQ, crtCoefficient, source);
  }

  /**
   * Parses a SEC1 ECPrivateKey (RFC 5915).
   *
   * @param curveOid the curve from an enclosing PKCS#8 structure, or null to read it from the key
   */
  private static AgentKey parseSec1(DerReader der, String curveOid, String source)
      throws DerReader.DerException, GeneralSecurityException {
    DerReader key = der.read(DerReader.SEQUENCE);
    key.readInteger(); // version 1
    BigInteger privateValue = new BigInteger(1, key.readOctetString());

    byte[] publicPoint = null;
    String curve = curveOid;
    if (key.peekTag() == 0xa0) {
      curve = key.read(0xa0).readObjectIdentifier();
    }
    if (key.peekTag() == 0xa1) {
      publicPoint = key.read(0xa1).readBitString();
    }
    if (curve == null) {
      throw new DerReader.DerException("the EC key does not name its curve");
    }
    if (publicPoint == null) {
      // NOTE: the JDK cannot compute the public point. SEC1 keys from OpenSSL and ssh-keygen
      // include it, and a key without it has to be converted to the OpenSSH format.
      throw new GeneralSecurityException(
          "the EC key has no public key; convert it with ssh-keygen -p -f " + source);
    }
    return AgentKey.ecdsa(curveName(curve), publicPoint, privateValue, source);
  }

  /** Parses a PKCS#8 PrivateKeyInfo (RFC 5208, RFC 8410 for Ed25519). */
  private static AgentKey parsePkcs8(byte[] body, String source)
      throws DerReader.DerException, GeneralSecurityException {
    DerReader info = new DerReader(body).read(DerReader.SEQUENCE);
    info.readInteger(); // version
    DerReader algorithm = info.read(DerReader.SEQUENCE);
    String algorithmOid = algorithm.readObjectIdentifier();
    byte[] privateKey = info.readOctetString();

    switch (algorithmOid) {
      case OID_RSA -> {
        return parsePkcs1(new DerReader(privateKey), source);
      }
      case OID_EC -> {
        String curve = algorithm.readObjectIdentifier();
        return parseSec1(new DerReader(privateKey), curve, source);
      }
      case OID_ED25519 -> {
        byte[] seed = new DerReader(privateKey).readOctetString();
        return AgentKey.ed25519(seed, source);
      }
      default -> throw new GeneralSecurityException(
          "unsupported key algorithm " + algorithmOid + "; use an Ed25519, RSA or ECDSA key");
    }
  }

  private static String curveName(String oid) throws GeneralSecurityException {
    return switch (oid) {
      case "1.2.840.10045.3.1.7" -> "nistp256";
      case "1.3.132.0.34" -> "nistp384";
      case "1.3.132.0.35" -> "nistp521";
      default -> throw new GeneralSecurityException("unsupported EC curve " + oid);
    };
  }

  private static String commentOr(String comment, String source) {
    return comment.isEmpty() ? source : comment;
  }

  /** The first PEM block of a file: its label and decoded body. */
  private record Pem(String label, byte[] body) {

    static Pem find(String text, String source) throws SshAgentException {
      int begin = text.indexOf("-----BEGIN ");
      if (begin < 0) {
        throw new SshAgentException(
            source + " is not a private key file; expected an OpenSSH or PEM private key");
      }
      int labelEnd = text.indexOf("-----", begin + 11);
      if (labelEnd < 0) {
        throw new SshAgentException(source + " has an invalid PEM header");
      }
      String label = text.substring(begin + 11, labelEnd);
      String footer = "-----END " + label + "-----";
      int end = text.indexOf(footer, labelEnd);
      if (end < 0) {
        throw new SshAgentException(source + " is missing the line " + footer);
      }

      // Old PEM encryption puts RFC 1421 headers (Proc-Type, DEK-Info) before the body.
      var base64 = new StringBuilder();
      for (String line : text.substring(labelEnd + 5, end).split("\r?\n")) {
        if (line.startsWith("Proc-Type:") && line.contains("ENCRYPTED")) {
          throw encrypted(source);
        }
        if (!line.contains(":")) {
          base64.append(line.strip());
        }
      }
      try {
        return new Pem(label, Base64.getDecoder().decode(base64.toString()));
      } catch (IllegalArgumentException e) {
        throw new SshAgentException(source + " contains invalid base64: " + e.getMessage(), e);
      }
    }
  }
}
