package dev.depotrunner.steps.bake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeInterpolationTest {

  private final ComposeInterpolation interpolation = new ComposeInterpolation(Map.of("SET", "value", "EMPTY", ""));

  @Test
  void forms_expandAsCompose() {
    assertEquals("value", interpolation.apply("$SET"));
    assertEquals("value", interpolation.apply("${SET}"));
    assertEquals("", interpolation.apply("${UNSET}"));
    assertEquals("fallback", interpolation.apply("${EMPTY:-fallback}"));
    assertEquals("", interpolation.apply("${EMPTY-fallback}"));
    assertEquals("fallback", interpolation.apply("${UNSET-fallback}"));
    assertEquals("alt", interpolation.apply("${SET:+alt}"));
    assertEquals("", interpolation.apply("${EMPTY:+alt}"));
    assertEquals("alt", interpolation.apply("${EMPTY+alt}"));
    assertEquals("value", interpolation.apply("${UNSET:-${SET}}"));
    assertEquals("$SET and ${SET}", interpolation.apply("$$SET and $${SET}"));
    assertEquals("cost: 5$", interpolation.apply("cost: 5$"));
  }

  @Test
  void requiredVariable_unsetRejected() {
    var error = assertThrows(IllegalArgumentException.class, () -> interpolation.apply("${UNSET:?give it a value}"));

    assertEquals("required variable UNSET is missing a value: give it a value", error.getMessage());
    assertEquals("", interpolation.apply("${EMPTY?not raised for an empty value}"));
    assertThrows(IllegalArgumentException.class, () -> interpolation.apply("${EMPTY:?empty is missing}"));
  }

  @Test
  void unclosedBrace_rejected() {
    var error = assertThrows(IllegalArgumentException.class, () -> interpolation.apply("${SET"));

    assertTrue(error.getMessage().contains("not closed"), error.getMessage());
  }
}
