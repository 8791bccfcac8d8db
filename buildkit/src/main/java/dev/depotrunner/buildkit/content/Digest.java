package dev.depotrunner.buildkit.content;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 hex digits>}, validated as the OCI image spec and
 * go-digest do: algorithm sha256, sha384 or sha512 and lowercase hex of the algorithm's length.
 */
public record Digest(String algorithm, String encoded) {

  public static final String SHA256 = "sha256";

  /** Hex length per supported algorithm. */
  private static final Map<String, Integer> HEX_LENGTHS = Map.of("sha256", 64, "sha384", 96, "sha512", 128);

  private static final Map<String, String> JCA_NAMES =
      Map.of("sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512");

  private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

  public Digest {
    Integer length = HEX_LENGTHS.get(algorithm);
    if (length == null) {
      throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\"");
    }
    if (encoded.length() != length || !LOWER_HEX.matcher(encoded).matches()) {
      throw new IllegalArgumentException(
          "invalid " + algorithm + " digest \"" + encoded + "\": expected " + length + " lowercase hex digits");
    }
  }

  /** Parses {@code algorithm:hex}, or throws {@link IllegalArgumentException} naming the invalid value. */
  public static Digest parse(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("invalid digest \"" + value + "\": expected algorithm:hex");
    }
    return new Digest(value.substring(0, colon), value.substring(colon + 1));
  }

  /** Returns the sha256 digest of {@code data}. */
  public static Digest sha256(byte[] data) {
    MessageDigest hash = newMessageDigest(SHA256);
    return new Digest(SHA256, HexFormat.of().formatHex(hash.digest(data)));
  }

  /** Returns whether {@code algorithm} is one this class can compute. */
  static boolean isSupported(String algorithm) {
    return HEX_LENGTHS.containsKey(algorithm);
  }

  static MessageDigest newMessageDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(JCA_NAMES.get(algorithm));
    } catch (NoSuchAlgorithmException e) {
      // The JDK's SUN provider includes all three algorithms.
      throw new IllegalStateException(e);
    }
  }

  static Digest of(String algorithm, MessageDigest hash) {
    return new Digest(algorithm, HexFormat.of().formatHex(hash.digest()));
  }

  @Override
  public String toString() {
    return algorithm + ":" + encoded;
  }
}
