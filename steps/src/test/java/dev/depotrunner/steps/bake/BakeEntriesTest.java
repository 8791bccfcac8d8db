package dev.depotrunner.steps.bake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BakeEntriesTest {

  @Test
  void csvFields_quotesAndEscapes() {
    assertEquals(List.of("a", "b,c", "d\"e", ""), CsvFields.split("a,\"b,c\",\"d\"\"e\","));
    assertEquals("a,\"b,c\"", CsvFields.join(List.of("a", "b,c")));
    assertThrows(IllegalArgumentException.class, () -> CsvFields.split("\"open"));
  }

  @Test
  void cacheEntry_bareReferencesAreRegistry() {
    assertEquals(List.of(
            new CacheEntry("registry", new TreeMap<>(Map.of("ref", "a:1"))),
            new CacheEntry("registry", new TreeMap<>(Map.of("ref", "b:2")))),
        CacheEntry.parseAll("a:1,b:2"));
    assertEquals("a:1", CacheEntry.parseAll("a:1").get(0).toFlagValue());
    assertThrows(IllegalArgumentException.class, () -> CacheEntry.parseAll("ref=x"));
  }

  @Test
  void exportEntry_shortForms() {
    assertEquals(new ExportEntry("local", new TreeMap<>(), "out"), ExportEntry.parse("out"));
    assertEquals(new ExportEntry("tar", new TreeMap<>(), "-"), ExportEntry.parse("-"));
    assertEquals("type=oci,dest=x.tar,name=a", ExportEntry.parse("type=oci,name=a,dest=x.tar").toFlagValue());
  }

  @Test
  void secretEntry_typeEnvMovesSource() {
    assertEquals(new SecretEntry("a", "", "VAR"), SecretEntry.parse("type=env,id=a,src=VAR"));
    assertThrows(IllegalArgumentException.class, () -> SecretEntry.parse("id=a,unknown=1"));
  }

  @Test
  void attest_canonicalBooleans() {
    assertEquals("type=sbom,disabled=false", AttestEntry.canonical("sbom", "true"));
    assertEquals("type=provenance,disabled=true", AttestEntry.canonical("provenance", "0"));
    assertEquals("type=provenance,mode=max", AttestEntry.canonical("provenance", "mode=max"));
  }

  @Test
  void attestMerge_laterTypeReplacesInPlace() {
    List<AttestEntry> merged = AttestEntry.merge(
        List.of(AttestEntry.parse("type=sbom"), AttestEntry.parse("type=provenance")),
        List.of(AttestEntry.parse("type=sbom,disabled=true")));

    assertEquals(List.of(AttestEntry.parse("type=sbom,disabled=true"), AttestEntry.parse("type=provenance")), merged);
  }

  @Test
  void memoryUnits_binaryWithFourDigits() {
    assertEquals(128L * 1024 * 1024, MemoryUnits.parseBytes("128m"));
    assertEquals("128MiB", MemoryUnits.binary(128L * 1024 * 1024));
    assertEquals("1.5GiB", MemoryUnits.binary(1536L * 1024 * 1024));
    assertEquals("100B", MemoryUnits.binary(100));
  }

  @Test
  void glob_matchesLikeGoPath() {
    assertEquals(true, Glob.matches("app*", "app-debug"));
    assertEquals(false, Glob.matches("app?", "app"));
    assertEquals(true, Glob.matches("[ab]pp", "bpp"));
  }
}
