package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);

  private static String assertInvalid(String value) {
    String message = assertThrows(InvalidOptionException.class, () -> ImageReference.parse(value)).getMessage();
    assertTrue(message.contains("\"" + value + "\""), message);
    return message;
  }

  @Test
  void parse_keepsTheWrittenForm() {
    for (String value : new String[] {"hello", "hello:1", "127.0.0.1:5000/demo/hello:1", "localhost/x", "a__b/c--d.e_f",
        "docker.io/library/hello@" + DIGEST, "[::1]:5000/x:y", "ghcr.io/o/r:v1.2.3-rc_1", "x:" + "t".repeat(128)}) {
      assertEquals(value, ImageReference.parse(value).toString());
    }
  }

  @Test
  void parse_splitsDomainPathTagAndDigest() {
    ImageReference reference = ImageReference.parse("127.0.0.1:5000/demo/hello:1@" + DIGEST);
    assertEquals("127.0.0.1:5000", reference.domain());
    assertEquals("demo/hello", reference.path());
    assertEquals(Optional.of("1"), reference.tag());
    assertEquals(Optional.of(DIGEST), reference.digest());

    ImageReference hubReference = ImageReference.parse("user/app");
    assertEquals("", hubReference.domain());
    assertEquals("user/app", hubReference.path());
    assertEquals(Optional.empty(), hubReference.tag());
  }

  @Test
  void parse_rejectsInvalidReferences() {
    assertTrue(assertInvalid("Foo/bar").contains("must be lowercase"));
    assertTrue(assertInvalid("Hello").contains("must be lowercase"));
    assertTrue(assertInvalid("a:b:c").contains("[registry/]repository[:tag]"));
    assertInvalid("a/");
    assertInvalid("-a");
    assertInvalid("a:" + "t".repeat(129));
    assertInvalid("a b");
    assertTrue(assertInvalid("hello@sha256:abc").contains("[registry/]repository"));
    assertTrue(assertInvalid("hello@md5:" + "a".repeat(32)).contains("unsupported digest algorithm"));
    assertTrue(assertInvalid("hello@sha256:" + "a".repeat(63) + "A").contains("64 lowercase hex"));
    assertTrue(assertInvalid("a/" + "b".repeat(255)).contains("255"));
    assertThrows(InvalidOptionException.class, () -> ImageReference.parse(""));
  }

  @Test
  void parse_acceptsUppercaseRegistryHost() {
    assertEquals("Registry.Example.com/app", ImageReference.parse("Registry.Example.com/app").toString());
  }

  @Test
  void normalized_addsDockerHubDefaults() {
    assertEquals("docker.io/library/hello:latest", ImageReference.parse("hello").normalized().withDefaultTag().toString());
    assertEquals("docker.io/library/hello:1", ImageReference.parse("hello:1").normalized().toString());
    assertEquals("docker.io/user/app", ImageReference.parse("user/app").normalized().toString());
    assertEquals("docker.io/user/app:1", ImageReference.parse("index.docker.io/user/app:1").normalized().toString());
    assertEquals("docker.io/library/hello", ImageReference.parse("docker.io/hello").normalized().toString());
    assertEquals("localhost:5000/x", ImageReference.parse("localhost:5000/x").normalized().toString());
    assertEquals("localhost/x", ImageReference.parse("localhost/x").normalized().toString());
    assertEquals("docker.io/library/hello@" + DIGEST, ImageReference.parse("hello@" + DIGEST).normalized().withDefaultTag().toString());
  }

  @Test
  void parseNormalized_rejectsImageIdsAndUppercase() {
    assertThrows(InvalidOptionException.class, () -> ImageReference.parseNormalized("a".repeat(64)));
    assertThrows(InvalidOptionException.class, () -> ImageReference.parseNormalized("Foo/bar"));
  }

  @Test
  void familiar_dropsDockerHubDefaults() {
    assertEquals("hello:1", ImageReference.parse("docker.io/library/hello:1").familiar());
    assertEquals("user/app", ImageReference.parse("docker.io/user/app").familiar());
    assertEquals("library/a/b", ImageReference.parse("docker.io/library/a/b").familiar());
    assertEquals("ghcr.io/o/r", ImageReference.parse("ghcr.io/o/r").familiar());
  }

  @Test
  void equality_followsTheWrittenForm() {
    assertEquals(ImageReference.parse("a:1"), ImageReference.parse("a:1"));
    assertFalse(ImageReference.parse("a:1").equals(ImageReference.parse("docker.io/library/a:1")));
  }
}
