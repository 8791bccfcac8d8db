package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AttestSpecTest {

  @Test
  void parse_typeAndAttributes() {
    AttestSpec spec = AttestSpec.parse("type=sbom,generator=image:1");
    assertEquals("sbom", spec.type());
    assertFalse(spec.disabled());
    assertEquals(Map.of("generator", "image:1"), spec.attributes());
  }

  @Test
  void frontendValue_typeFirstThenSortedAttributes() {
    assertEquals("type=provenance,builder-id=x,mode=max", AttestSpec.parse("mode=max,builder-id=x,type=provenance").frontendValue());
    assertEquals("type=sbom,\"generator=a,b\"", AttestSpec.parse("type=sbom,\"generator=a,b\"").frontendValue());
  }

  @Test
  void parseShorthand_booleansAndAttributes() {
    assertTrue(AttestSpec.parseShorthand("provenance", "false").disabled());
    assertFalse(AttestSpec.parseShorthand("provenance", "true").disabled());
    assertFalse(AttestSpec.parseShorthand("provenance", "1").disabled());
    assertEquals("type=provenance,mode=max", AttestSpec.parseShorthand("provenance", "mode=max").frontendValue());
  }

  @Test
  void parse_errors() {
    assertTrue(assertThrows(InvalidOptionException.class, () -> AttestSpec.parse("mode=max")).getMessage().contains("type is missing"));
    assertTrue(assertThrows(InvalidOptionException.class, () -> AttestSpec.parse("type=vex")).getMessage().contains("unknown attestation type"));
    assertTrue(assertThrows(InvalidOptionException.class, () -> AttestSpec.parse("type=sbom,disabled=maybe")).getMessage().contains("not a boolean"));
    assertThrows(InvalidOptionException.class, () -> AttestSpec.parse("type=sbom,oops"));
  }
}
