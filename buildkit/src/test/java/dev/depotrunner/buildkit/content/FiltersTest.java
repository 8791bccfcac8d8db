package dev.depotrunner.buildkit.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FiltersTest {

  private static final Filters.Adaptor ITEM = fieldPath -> Optional.ofNullable(Map.of(
          "ref", "layer-sha256:abc",
          "labels.containerd.io/gc.root", "yes",
          "labels.plain", "value")
      .get(String.join(".", fieldPath)));

  private static boolean matches(String... filters) throws StoreException {
    return Filters.parse(List.of(filters)).matches(ITEM);
  }

  @Test
  void noFiltersMatchEverything() throws StoreException {
    assertTrue(matches());
    assertTrue(matches(""));
  }

  @Test
  void operators() throws StoreException {
    assertTrue(matches("ref==layer-sha256:abc"));
    assertFalse(matches("ref==other"));
    assertTrue(matches("ref!=other"));
    assertTrue(matches("missing!=value"), "a missing field compares as empty");
    assertTrue(matches("ref~=^layer-"));
    assertFalse(matches("ref~=^config-"));
    assertTrue(matches("labels.plain"));
    assertFalse(matches("labels.absent"));
  }

  @Test
  void commaRequiresAllAndListNeedsAny() throws StoreException {
    assertTrue(matches("ref~=layer,labels.plain==value"));
    assertFalse(matches("ref~=layer,labels.plain==other"));
    assertTrue(matches("ref==nope", "labels.plain==value"));
  }

  @Test
  void quotedFieldsAndValues() throws StoreException {
    assertTrue(matches("labels.\"containerd.io/gc.root\"==yes"));
    assertTrue(matches("ref==\"layer-sha256:abc\""));
    assertTrue(matches("ref~=/sha256:[a-c]+$/"));
    assertTrue(matches("ref==|layer-sha256:abc|"));
  }

  @Test
  void invalidSyntaxIsInvalidArgument() {
    for (String filter : List.of("ref==", "==x", "ref=x", "ref==\"open", "ref~=[", "ref==a,")) {
      StoreException error = assertThrows(StoreException.class, () -> matches(filter), filter);
      assertEquals(StoreException.Kind.INVALID_ARGUMENT, error.kind(), filter);
    }
  }
}
