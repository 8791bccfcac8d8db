package dev.depotrunner.buildkit.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parses keys that ssh-keygen and openssl generate, so these tests need both installed. */
class PrivateKeyParserTest {

  @TempDir Path temp;

  private static List<AgentKey> parse(Path file) throws Exception {
    return PrivateKeyParser.parse(Files.readAllBytes(file), file.toString());
  }

  @ParameterizedTest
  @CsvSource({
    "ed25519, 0,    RFC4716, ssh-ed25519",
    "rsa,     1024, RFC4716, ssh-rsa",
    "ecdsa,   256,  RFC4716, ecdsa-sha2-nistp256",
    "ecdsa,   384,  RFC4716, ecdsa-sha2-nistp384",
    "ecdsa,   521,  RFC4716, ecdsa-sha2-nistp521",
    "rsa,     1024, PEM,     ssh-rsa",
    "ecdsa,   256,  PEM,     ecdsa-sha2-nistp256",
    "rsa,     1024, PKCS8,   ssh-rsa",
    "ecdsa,   384,  PKCS8,   ecdsa-sha2-nistp384",
  })
  void parseGeneratedKeys(String type, int bits, String format, String keyType) throws Exception {
    Path file = OpenSsh.keygen(temp, "key", type, bits, format, "");

    List<AgentKey> keys = parse(file);

    assertEquals(1, keys.size());
    AgentKey key = keys.get(0);
    assertEquals(keyType, key.type());
    assertArrayEquals(OpenSsh.publicKeyBlob(file), key.publicKeyBlob());
    byte[] data = "session data to sign".getBytes(StandardCharsets.UTF_8);
    assertTrue(key.verify(data, key.sign(data, 0)));
  }

  @Test
  void openSshCommentKept() throws Exception {
    Path file = OpenSsh.keygen(temp, "commented", "ed25519", 0, "RFC4716", "");

    assertEquals("commented@test", parse(file).get(0).comment());
  }

  @Test
  void pemCommentIsPath() throws Exception {
    Path file = OpenSsh.keygen(temp, "pem", "rsa", 1024, "PEM", "");

    assertEquals(file.toString(), parse(file).get(0).comment());
  }

  @Test
  void pkcs8Ed25519FromOpenssl() throws Exception {
    Path file = temp.resolve("ed25519.pem");
    OpenSsh.check(Map.of(), "openssl", "genpkey", "-algorithm", "ed25519", "-out", file.toString());

    AgentKey key = parse(file).get(0);

    assertEquals("ssh-ed25519", key.type());
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);
    assertTrue(key.verify(data, key.sign(data, 0)));
  }

  @Test
  void rsaSignatureFlags() throws Exception {
    AgentKey key = parse(OpenSsh.keygen(temp, "rsa", "rsa", 1024, "RFC4716", "")).get(0);
    byte[] data = "data".getBytes(StandardCharsets.UTF_8);

    assertEquals("ssh-rsa", AgentKey.SignatureParts.parse(key.sign(data, 0)).algorithm());
    assertEquals(
        "rsa-sha2-256",
        AgentKey.SignatureParts.parse(key.sign(data, AgentKey.RSA_SHA2_256)).algorithm());
    assertEquals(
        "rsa-sha2-512",
        AgentKey.SignatureParts.parse(key.sign(data, AgentKey.RSA_SHA2_512)).algorithm());
    assertEquals(
        "rsa-sha2-256",
        AgentKey.SignatureParts.parse(key.sign(data, AgentKey.RSA_SHA2_256 | AgentKey.RSA_SHA2_512))
            .algorithm());
    assertTrue(key.verify(data, key.sign(data, AgentKey.RSA_SHA2_512)));
  }

  @Test
  void encryptedOpenSshKeyRejected() throws Exception {
    Path file = OpenSsh.keygen(temp, "locked", "ed25519", 0, "RFC4716", "passphrase");

    var failure = assertThrows(SshAgentException.class, () -> parse(file));

    assertTrue(failure.getMessage().contains(file.toString()), failure.getMessage());
    assertTrue(failure.getMessage().contains("encrypted"), failure.getMessage());
  }

  @Test
  void encryptedPemKeyRejected() throws Exception {
    Path file = OpenSsh.keygen(temp, "locked-pem", "rsa", 1024, "PEM", "passphrase");

    var failure = assertThrows(SshAgentException.class, () -> parse(file));

    assertTrue(failure.getMessage().contains("encrypted"), failure.getMessage());
  }

  @Test
  void encryptedPkcs8KeyRejected() throws Exception {
    Path file = OpenSsh.keygen(temp, "locked-pkcs8", "ecdsa", 256, "PKCS8", "passphrase");

    var failure = assertThrows(SshAgentException.class, () -> parse(file));

    assertTrue(failure.getMessage().contains("encrypted"), failure.getMessage());
  }

  @Test
  void publicKeyFileRejected() throws Exception {
    Path file = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");
    Path publicKey = Path.of(file + ".pub");

    var failure = assertThrows(SshAgentException.class, () -> parse(publicKey));

    assertTrue(failure.getMessage().contains("not a private key"), failure.getMessage());
  }

  @Test
  void corruptKeyRejected() throws Exception {
    Path file = OpenSsh.keygen(temp, "key", "ed25519", 0, "RFC4716", "");
    String text = Files.readString(file);
    String[] lines = text.split("\n");
    lines[2] = lines[2].substring(0, 10) + "AAAA" + lines[2].substring(14);
    Files.writeString(file, String.join("\n", lines));

    var failure = assertThrows(SshAgentException.class, () -> parse(file));

    assertTrue(failure.getMessage().contains(file.toString()), failure.getMessage());
  }
}
