package dev.depotrunner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryAuthTest {

  @Test
  void encodeIsBase64UrlWithPadding() {
    // "?>" in the password makes the standard alphabet's "/" and "+" appear, which base64url replaces.
    var auth = new RegistryAuth("u", "a?>b", "", "", "");

    String encoded = auth.encode();

    assertEquals("{\"username\":\"u\",\"password\":\"a?>b\"}", new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8));
    assertFalse(encoded.contains("+") || encoded.contains("/"), encoded);
    assertEquals(0, encoded.length() % 4);
  }

  @Test
  void anonymousEncodesEmptyObject() {
    assertEquals("e30=", RegistryAuth.anonymous().encode());
  }

  @Test
  void tokensUseEngineFieldNames() {
    var auth = new RegistryAuth("", "", "ghcr.io", "refresh", "bearer");

    String json = new String(Base64.getUrlDecoder().decode(auth.encode()), StandardCharsets.UTF_8);

    assertEquals("{\"serveraddress\":\"ghcr.io\",\"identitytoken\":\"refresh\",\"registrytoken\":\"bearer\"}", json);
  }

  @Test
  void toStringHidesSecrets() {
    var auth = new RegistryAuth("ci", "s3cret", "ghcr.io", "refresh-token", "bearer-token");

    String text = auth.toString();

    assertFalse(text.contains("s3cret"), text);
    assertFalse(text.contains("refresh-token"), text);
    assertFalse(text.contains("bearer-token"), text);
  }
}
