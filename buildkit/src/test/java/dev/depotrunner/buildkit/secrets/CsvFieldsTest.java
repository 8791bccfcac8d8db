package dev.depotrunner.buildkit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvFieldsTest {

  @Test
  void splitPlainAndQuoted() {
    assertEquals(List.of("a", "b", "c"), CsvFields.split("a,b,c"));
    assertEquals(List.of("a", ""), CsvFields.split("a,"));
    assertEquals(List.of("", "b"), CsvFields.split(",b"));
    assertEquals(List.of("a,b", "c"), CsvFields.split("\"a,b\",c"));
    assertEquals(List.of("say \"hi\""), CsvFields.split("\"say \"\"hi\"\"\""));
    assertEquals(List.of("a", ""), CsvFields.split("\"a\","));
    assertEquals(List.of("a", "b"), CsvFields.split("a,b\n"));
    assertEquals(List.of(), CsvFields.split(""));
  }

  @Test
  void splitRejectsStrayQuotes() {
    assertThrows(IllegalArgumentException.class, () -> CsvFields.split("a\"b"));
    assertThrows(IllegalArgumentException.class, () -> CsvFields.split("\"open"));
    assertThrows(IllegalArgumentException.class, () -> CsvFields.split("\"a\"b"));
  }
}
