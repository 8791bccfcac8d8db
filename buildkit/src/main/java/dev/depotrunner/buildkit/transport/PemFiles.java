package dev.depotrunner.buildkit.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys for TLS. Keys may be PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * RSA ({@code RSA PRIVATE KEY}, as older openssl and docker-machine write) or SEC1 EC ({@code EC
 * PRIVATE KEY}, as cfssl writes). The JDK reads only PKCS#8, so the others are wrapped into it.
 */
final class PemFiles {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);

  // DER encodings of the algorithm identifiers PKCS#8 needs around PKCS#1 and SEC1 keys.
  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01,
    0x05, 0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private PemFiles() {}

  /** Reads every certificate in a PEM file, in order. */
  static List<X509Certificate> readCertificates(Path file, String role) throws TlsFileException {
    return parseCertificates(readFile(file, role), role, file.toString());
  }

  /**
   * Parses every certificate in PEM text, in order.
   *
   * @param source where the text comes from, for messages, such as a file path
   */
  static List<X509Certificate> parseCertificates(byte[] bytes, String role, String source) throws TlsFileException {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (var certificate : factory.generateCertificates(new ByteArrayInputStream(bytes))) {
        certificates.add((X509Certificate) certificate);
      }
    } catch (CertificateException e) {
      throw new TlsFileException(role, source, "it is not a valid PEM certificate (" + e.getMessage() + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new TlsFileException(role, source, "it contains no PEM certificate", null);
    }
    return certificates;
  }

  /** Reads the first private key in a PEM file. */
  static PrivateKey readPrivateKey(Path file, String role) throws TlsFileException {
    return parsePrivateKey(readFile(file, role), role, file.toString());
  }

  /** Parses the first private key in PEM text; {@code source} names where the text comes from. */
  static PrivateKey parsePrivateKey(byte[] bytes, String role, String source) throws TlsFileException {
    String text = new String(bytes, StandardCharsets.US_ASCII);
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      String type = matcher.group(1);
      String body = matcher.group(2);
      if (!type.endsWith("PRIVATE KEY")) {
        continue;
      }
      if (type.startsWith("ENCRYPTED") || body.contains("ENCRYPTED")) {
        throw new TlsFileException(
            role, source, "the key is encrypted; decrypt it first, e.g. with openssl pkey", null);
      }

      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(body);
      } catch (IllegalArgumentException e) {
        throw new TlsFileException(role, source, "the PEM block is not valid base64", e);
      }

      try {
        byte[] pkcs8 =
            switch (type) {
              case "PRIVATE KEY" -> der;
              case "RSA PRIVATE KEY" -> wrapPkcs8(RSA_ALGORITHM, der);
              case "EC PRIVATE KEY" -> wrapPkcs8(ecAlgorithm(der), der);
              default -> throw new TlsFileException(role, source, "unsupported key type " + type, null);
            };
        return decodePkcs8(pkcs8);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new TlsFileException(role, source, "the private key cannot be decoded (" + e.getMessage() + ")", e);
      }
    }
    throw new TlsFileException(role, source, "it contains no PEM private key", null);
  }

  private static byte[] readFile(Path file, String role) throws TlsFileException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsFileException(role, file, "file not found", e);
    } catch (IOException e) {
      throw new TlsFileException(role, file, "cannot read it (" + e + ")", e);
    }
  }

  private static PrivateKey decodePkcs8(byte[] pkcs8) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  /** Builds the PKCS#8 AlgorithmIdentifier for a SEC1 key from the curve named in its parameters. */
  private static byte[] ecAlgorithm(byte[] sec1) {
    // ECPrivateKey ::= SEQUENCE { version INTEGER, privateKey OCTET STRING,
    //                             parameters [0] OID OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
    DerReader sequence = new DerReader(sec1).enter(0x30);
    sequence.skip(0x02);
    sequence.skip(0x04);
    if (!sequence.hasMore() || sequence.peekTag() != 0xa0) {
      throw new IllegalArgumentException("the EC key does not name its curve");
    }
    byte[] curve = sequence.enter(0xa0).element(0x06);
    return der(0x30, concat(EC_PUBLIC_KEY_OID, curve));
  }

  private static byte[] wrapPkcs8(byte[] algorithm, byte[] key) {
    byte[] version = {0x02, 0x01, 0x00};
    return der(0x30, concat(version, algorithm, der(0x04, key)));
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Walks DER elements; enough to find the curve of a SEC1 key. */
  private static final class DerReader {
    private final byte[] data;
    private int position;
    private final int end;

    DerReader(byte[] data) {
      this(data, 0, data.length);
    }

    private DerReader(byte[] data, int start, int end) {
      this.data = data;
      this.position = start;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    int peekTag() {
      return data[position] & 0xff;
    }

    /** Returns a reader over the content of the next element, which must have {@code tag}. */
    DerReader enter(int tag) {
      int[] bounds = next(tag);
      return new DerReader(data, bounds[0], bounds[1]);
    }

    void skip(int tag) {
      next(tag);
    }

    /** Returns the next element with its tag and length bytes. */
    byte[] element(int tag) {
      int start = position;
      int[] bounds = next(tag);
      return java.util.Arrays.copyOfRange(data, start, bounds[1]);
    }

    private int[] next(int tag) {
      if (position + 2 > end || (data[position] & 0xff) != tag) {
        throw new IllegalArgumentException("malformed DER: expected tag " + Integer.toHexString(tag));
      }
      position++;
      int length = data[position++] & 0xff;
      if (length >= 0x80) {
        int count = length & 0x7f;
        if (count > 3 || position + count > end) {
          throw new IllegalArgumentException("malformed DER length");
        }
        length = 0;
        for (int i = 0; i < count; i++) {
          length = (length << 8) | (data[position++] & 0xff);
        }
      }
      int contentStart = position;
      int contentEnd = contentStart + length;
      if (contentEnd > end) {
        throw new IllegalArgumentException("malformed DER: element longer than its container");
      }
      position = contentEnd;
      return new int[] {contentStart, contentEnd};
    }
  }

  /** A TLS file that is missing, unreadable or not in a supported format. */
  static final class TlsFileException extends Exception {
    TlsFileException(String role, Path file, String reason, Throwable cause) {
      this(role, file.toString(), reason, cause);
    }

    TlsFileException(String role, String source, String reason, Throwable cause) {
      super("cannot use " + role + " " + source + ": " + reason, cause);
    }
  }
}
