package dev.depotrunner.hcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParserTest {

  private static Object evaluate(Expression expression) throws HclException {
    return new EvalContext(Map.of("v", "x"), StandardFunctions.all()).evaluate(expression);
  }

  @Test
  void bodyAttributesAndBlocks() throws HclException {
    Body body = Hcl.parse("f.hcl", """
        # comment
        a = 1 // trailing
        /* block
           comment */
        target "app" {
          tags = ["x"]
          nested {
            b = true
          }
        }
        group default { targets = ["app"] }
        """);
    Body.Content content = body.content(Map.of("target", 1, "group", 1));
    assertEquals(1, content.attributes().size());
    assertEquals("a", content.attributes().get(0).name());
    assertEquals(new Position("f.hcl", 2, 1), content.attributes().get(0).position());
    assertEquals(2, content.blocks().size());

    Body.Block target = content.blocks().get(0);
    assertEquals("target", target.type());
    assertEquals(List.of("app"), target.labels());
    assertEquals(new Position("f.hcl", 5, 1), target.position());
    assertEquals(new Position("f.hcl", 5, 8), target.labelPositions().get(0));
    Body.Content inner = target.body().content(Map.of());
    assertEquals("tags", inner.attributes().get(0).name());
    assertEquals("nested", inner.blocks().get(0).type());

    Body.Block group = content.blocks().get(1);
    assertEquals(List.of("default"), group.labels());
    assertEquals(List.of("app"), evaluate(group.body().content(Map.of()).attributes().get(0).expression()));
  }

  @Test
  void multiLineExpressions() throws HclException {
    Body body = Hcl.parse("f.hcl", """
        a = [
          1,
          2
        ]
        b = upper(
          "x"
        )
        c = {
          k = "v"
          l = (
            1 +
            2
          )
        }
        d = (v == "x"
          ? "yes"
          : "no")
        """);
    List<Body.Attribute> attributes = body.content(Map.of()).attributes();
    assertEquals(List.of(BigDecimal.ONE, new BigDecimal("2")), evaluate(attributes.get(0).expression()));
    assertEquals("X", evaluate(attributes.get(1).expression()));
    assertEquals(Map.of("k", "v", "l", new BigDecimal("3")), evaluate(attributes.get(2).expression()));
    assertEquals("yes", evaluate(attributes.get(3).expression()));
  }

  @Test
  void identifiersMayContainDashes() throws HclException {
    Body body = Hcl.parse("f.hcl", "target \"a\" {\n  cache-from = [\"x\"]\n  no-cache = true\n}\n");
    Body.Block block = body.content(Map.of()).blocks().get(0);
    assertEquals("cache-from", block.body().content(Map.of()).attributes().get(0).name());
    assertEquals("no-cache", block.body().content(Map.of()).attributes().get(1).name());
  }

  @Test
  void unclosedBlockFailsAtBrace() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = 1\ntarget \"x\" {\n  b = 2\n"));
    assertEquals(new Position("f.hcl", 2, 12), e.position());
    assertTrue(e.detail().contains("unclosed block"), e.detail());
  }

  @Test
  void unterminatedStringFails() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = \"abc\nb = 1\n"));
    assertEquals(new Position("f.hcl", 1, 5), e.position());
    assertTrue(e.detail().contains("unterminated string"), e.detail());
  }

  @Test
  void twoAttributesOnOneLineFail() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = 1 b = 2\n"));
    assertEquals(new Position("f.hcl", 1, 7), e.position());
  }

  @Test
  void duplicateAttributeFails() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = 1\na = 2\n"));
    assertEquals(new Position("f.hcl", 2, 1), e.position());
  }

  @Test
  void missingOperandFails() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = 1 +\n"));
    assertEquals(new Position("f.hcl", 1, 8), e.position());
    assertTrue(e.detail().contains("expected an expression"), e.detail());
  }

  @Test
  void unclosedInterpolationFails() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = \"${v\"\n"));
    assertTrue(e.detail().contains("'}'"), e.detail());
  }

  @Test
  void unmatchedDirectiveFails() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = \"%{ if true }x\"\n"));
    assertEquals(new Position("f.hcl", 1, 6), e.position());
    assertTrue(e.detail().contains("%{endif}"), e.detail());
  }

  @Test
  void unclosedHeredocFails() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = <<EOT\ntext\n"));
    assertEquals(new Position("f.hcl", 1, 5), e.position());
    assertTrue(e.detail().contains("EOT"), e.detail());
  }

  @Test
  void invalidEscapeFails() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parse("f.hcl", "a = \"\\q\"\n"));
    assertEquals(new Position("f.hcl", 1, 6), e.position());
  }

  @Test
  void jsonBodyReadsBlocksBySchema() throws HclException {
    Body body = Hcl.parseJson("f.json", """
        {
          "variable": {"TAG": {"default": "v1"}},
          "target": {
            "app": {"tags": ["app:${TAG}"], "args": {"A": 1}},
            "other": [{"context": "."}]
          },
          "//": "a comment",
          "x": "plain"
        }
        """);
    Body.Content content = body.content(Map.of("variable", 1, "target", 1));
    assertEquals(1, content.attributes().size());
    assertEquals("x", content.attributes().get(0).name());
    assertEquals(3, content.blocks().size());
    Body.Block app = content.blocks().get(1);
    assertEquals("target", app.type());
    assertEquals(List.of("app"), app.labels());
    assertEquals(new Position("f.json", 4, 5), app.position());
    Body.Attribute tags = app.body().content(Map.of()).attributes().get(0);
    Object value = new EvalContext(Map.of("TAG", "v2"), Map.of()).evaluate(tags.expression());
    assertEquals(List.of("app:v2"), value);
  }

  @Test
  void jsonTemplateErrorsPointIntoString() {
    HclException e = assertThrows(HclException.class,
        () -> Hcl.parseJson("f.json", "{\n  \"a\": \"x${\"\n}").content(Map.of()));
    assertEquals("f.json", e.position().file());
    assertEquals(2, e.position().line());
  }

  @Test
  void jsonSyntaxErrorHasPosition() {
    HclException e = assertThrows(HclException.class, () -> Hcl.parseJson("f.json", "{\n  \"a\": [1, 2\n}"));
    assertEquals(3, e.position().line());
    assertEquals(1, e.position().column());
  }

  @Test
  void typeExpressions() throws HclException {
    assertEquals("list(string)", Type.parse(Hcl.parseExpression("t", "list(string)")).name());
    assertEquals("map(number)", Type.parse(Hcl.parseExpression("t", "map(number)")).name());
    assertEquals("object({a=string,b=optional(bool)})",
        Type.parse(Hcl.parseExpression("t", "object({a = string, b = optional(bool)})")).name());
    assertEquals("tuple([string,number])", Type.parse(Hcl.parseExpression("t", "tuple([string, number])")).name());
    assertEquals("any", Type.parse(Hcl.parseExpression("t", "any")).name());
    assertEquals("list(string)", Type.parse(Hcl.parseTemplate("t", "list(string)")).name());
  }
}
