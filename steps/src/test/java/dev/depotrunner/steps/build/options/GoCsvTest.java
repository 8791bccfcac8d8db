package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cases worked out by hand from Go's encoding/csv readRecord, which buildx uses for its CSV flags.
 */
class GoCsvTest {

  private static void assertRecord(String input, String... expected) throws Exception {
    assertEquals(List.of(expected), GoCsv.readRecord(input), "record of " + input);
  }

  private static String assertSyntaxError(String input) {
    return assertThrows(GoCsv.SyntaxException.class, () -> GoCsv.readRecord(input), input).getMessage();
  }

  @Test
  void readRecord_plainFields() throws Exception {
    assertRecord("type=local,dest=out", "type=local", "dest=out");
    assertRecord("a,,b", "a", "", "b");
    assertRecord("a,", "a", "");
    assertRecord(",", "", "");
    assertRecord(" a , b ", " a ", " b ");
  }

  @Test
  void readRecord_quotedFields() throws Exception {
    assertRecord("\"type=local\",\"dest=a,b\"", "type=local", "dest=a,b");
    assertRecord("type=local,\"dest=a\"\"b\"", "type=local", "dest=a\"b");
    assertRecord("\"\"", "");
    assertRecord("\"\",\"\"", "", "");
    assertRecord("\"a\"\"\"", "a\"");
    assertRecord("\"a\",b", "a", "b");
  }

  @Test
  void readRecord_lines() throws Exception {
    assertRecord("\n\na,b", "a", "b");
    assertRecord("a,b\nc,d", "a", "b");
    assertRecord("a,b\r\n", "a", "b");
    assertRecord("a\r", "a");
    assertRecord("\"a\nb\",c", "a\nb", "c");
    assertRecord("\"a\r\nb\"", "a\nb");
    assertRecord("\"a\"\n", "a");
  }

  @Test
  void readRecord_bareQuote() {
    String message = assertSyntaxError("a\"b,c");
    assertTrue(message.contains("bare \""), message);
    assertTrue(message.contains("position 2"), message);
    assertSyntaxError(" \"a\"");
    assertSyntaxError("type=image,name=\"a\"");
  }

  @Test
  void readRecord_extraneousQuote() {
    String message = assertSyntaxError("\"a\"b,c");
    assertTrue(message.contains("extraneous"), message);
    assertSyntaxError("\"a\" ,b");
  }

  @Test
  void readRecord_unterminatedQuote() {
    assertTrue(assertSyntaxError("a,\"b").contains("missing closing"));
    assertSyntaxError("\"a\nb");
  }

  @Test
  void readRecord_empty() {
    assertSyntaxError("");
    assertSyntaxError("\n");
    assertSyntaxError("\r");
  }
}
