package dev.depotrunner.buildkit.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TokenAuthorityTest {

  private static final HexFormat HEX = HexFormat.of();

  /** RFC 8032 section 7.1, test 1: the secret key, its public key, and the empty message's signature. */
  @Test
  void fromSeedMatchesRfc8032() throws GeneralSecurityException {
    byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

    KeyPair pair = TokenAuthority.fromSeed(seed);
    byte[] signed = TokenAuthority.signAttached(pair.getPrivate(), new byte[0]);

    assertEquals(
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        HEX.formatHex(TokenAuthority.rawPublicKey(pair.getPublic())));
    assertEquals(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        HEX.formatHex(signed));
  }

  @Test
  void deriveDependsOnSeedWithSecret() {
    byte[] salt = new byte[32];
    byte[] seedA = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    byte[] seedB = HEX.parseHex("0f0e0d0c0b0a09080706050403020100");

    byte[] keyA = TokenAuthority.rawPublicKey(TokenAuthority.derive(salt, seedA, true).getPublic());
    byte[] keyB = TokenAuthority.rawPublicKey(TokenAuthority.derive(salt, seedB, true).getPublic());
    byte[] anonymousA = TokenAuthority.rawPublicKey(TokenAuthority.derive(salt, seedA, false).getPublic());
    byte[] anonymousB = TokenAuthority.rawPublicKey(TokenAuthority.derive(salt, seedB, false).getPublic());

    assertFalse(Arrays.equals(keyA, keyB));
    assertArrayEquals(anonymousA, anonymousB);
  }

  @Test
  void deriveAcceptsEmptySalt() {
    byte[] seed = HEX.parseHex("000102030405060708090a0b0c0d0e0f");

    byte[] emptySalt = TokenAuthority.rawPublicKey(TokenAuthority.derive(new byte[0], seed, true).getPublic());
    byte[] zeroSalt = TokenAuthority.rawPublicKey(TokenAuthority.derive(new byte[1], seed, true).getPublic());

    assertArrayEquals(zeroSalt, emptySalt);
  }
}
