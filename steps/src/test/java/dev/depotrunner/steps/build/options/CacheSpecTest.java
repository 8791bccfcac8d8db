package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CacheSpecTest {

  private static CacheSpec spec(String type, Map<String, String> attributes) {
    return new CacheSpec(type, new TreeMap<>(attributes));
  }

  @Test
  void parse_bareReferenceIsRegistry() {
    assertEquals(List.of(spec("registry", Map.of("ref", "user/app:cache"))), CacheSpec.parse("user/app:cache"));
  }

  @Test
  void parse_commaListOfReferences() {
    assertEquals(
        List.of(spec("registry", Map.of("ref", "a/b:1")), spec("registry", Map.of("ref", "c/d:2"))),
        CacheSpec.parse("a/b:1,c/d:2"));
  }

  @Test
  void parse_typedEntries() {
    assertEquals(List.of(spec("inline", Map.of())), CacheSpec.parse("type=inline"));
    assertEquals(
        List.of(spec("registry", Map.of("ref", "r/app:cache", "mode", "max"))),
        CacheSpec.parse("type=registry,ref=r/app:cache,mode=max"));
    assertEquals(List.of(spec("local", Map.of("dest", "a,b"))), CacheSpec.parse("type=local,\"dest=a,b\""));
    assertEquals(List.of(spec("gha", Map.of("scope", "x"))), CacheSpec.parse("TYPE=gha,Scope=x"));
    assertEquals(List.of(), CacheSpec.parse(""));
  }

  @Test
  void parse_errors() {
    assertTrue(assertThrows(InvalidOptionException.class, () -> CacheSpec.parse("ref=x,mode=max")).getMessage()
        .contains("type is required"));
    assertTrue(assertThrows(InvalidOptionException.class, () -> CacheSpec.parse("type=nfs,ref=x")).getMessage()
        .contains("unknown type \"nfs\""));
    assertTrue(assertThrows(InvalidOptionException.class, () -> CacheSpec.parse("type=registry,ref")).getMessage()
        .contains("\"ref\" is not key=value"));
  }

  @Test
  void messagesHideCredentials() {
    CacheSpec gha = spec("gha", Map.of("token", "s3cr3t", "url", "http://127.0.0.1/"));
    assertFalse(gha.toString().contains("s3cr3t"), gha.toString());
    String message = assertThrows(InvalidOptionException.class, () -> CacheSpec.parse("token=s3cr3t,url=x")).getMessage();
    assertFalse(message.contains("s3cr3t"), message);
  }
}
