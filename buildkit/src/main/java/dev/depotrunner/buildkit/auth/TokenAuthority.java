package dev.depotrunner.buildkit.auth;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Ed25519 key with which the client proves to the builder that it has a registry's
 * credentials, so the builder may reuse tokens it fetched for another session of this client.
 *
 * <p>As in BuildKit's authprovider, the key's seed is the first 32 bytes of
 * HMAC-SHA256(key = the builder's salt, message = the client's random seed for the host), where
 * the seed is left out when there is no secret. Signatures use NaCl's attached form: the 64-byte
 * signature followed by the message.
 */
final class TokenAuthority {

  static final int PUBLIC_KEY_BYTES = 32;
  private static final int SEED_BYTES = 32;

  /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw key follows it. */
  private static final byte[] X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private TokenAuthority() {}

  /** Derives the key pair for a host from the builder's salt and the client's seed. */
  static KeyPair derive(byte[] salt, byte[] seed, boolean hasSecret) {
    try {
      // An empty HMAC key and a single zero byte are both padded to the same block of zeros,
      // and SecretKeySpec rejects an empty key.
      byte[] macKey = salt.length == 0 ? new byte[1] : salt;
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
      if (hasSecret) {
        mac.update(seed);
      }
      return fromSeed(Arrays.copyOf(mac.doFinal(), SEED_BYTES));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256 or Ed25519", e);
    }
  }

  /**
   * Returns the Ed25519 key pair for an RFC 8032 private key seed. The JDK has no public API that
   * derives the public key from a seed, but its generator takes the private key as the first 32
   * bytes of its random source, so it is handed a source that returns the seed.
   */
  static KeyPair fromSeed(byte[] seed) throws GeneralSecurityException {
    if (seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
    return generator.generateKeyPair();
  }

  /** Returns the 32-byte encoding of an Ed25519 public key. */
  static byte[] rawPublicKey(PublicKey key) {
    byte[] encoded = key.getEncoded();
    if (encoded.length != X509_PREFIX.length + PUBLIC_KEY_BYTES
        || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
    }
    return Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length);
  }

  /** Signs the payload and returns the signature followed by the payload, as NaCl's sign.Sign. */
  static byte[] signAttached(PrivateKey key, byte[] payload) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(key);
      signer.update(payload);
      byte[] signature = signer.sign();

      byte[] signed = Arrays.copyOf(signature, signature.length + payload.length);
      System.arraycopy(payload, 0, signed, signature.length, payload.length);
      return signed;
    } catch (InvalidKeyException e) {
      throw new IllegalArgumentException("not an Ed25519 private key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks Ed25519 signatures", e);
    }
  }

  /** A random source that returns the given bytes, and fails if asked for anything else. */
  private static final class FixedRandom extends SecureRandom {
    private final byte[] bytes;
    private boolean used;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] output) {
      if (used || output.length != bytes.length) {
        throw new IllegalStateException("the Ed25519 generator asked for unexpected random bytes");
      }
      used = true;
      System.arraycopy(bytes, 0, output, 0, bytes.length);
    }
  }
}
