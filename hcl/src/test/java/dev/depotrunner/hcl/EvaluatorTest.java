package dev.depotrunner.hcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static final Map<String, Object> VARIABLES = Map.of(
      "name", "app",
      "count", new BigDecimal("3"),
      "flag", true,
      "items", List.of("a", "b", "c"),
      "object", object("b", new BigDecimal("2"), "a", new BigDecimal("1")),
      "people", List.of(object("name", "ann", "age", new BigDecimal("30")),
          object("name", "bob", "age", new BigDecimal("40"))),
      "nothing", new LinkedHashMap<>());

  static Map<String, Object> object(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  static Object eval(String expression) throws HclException {
    return new EvalContext(VARIABLES, StandardFunctions.all()).evaluate(Hcl.parseExpression("test.hcl", expression));
  }

  static HclException failure(String expression) {
    return assertThrows(HclException.class, () -> eval(expression));
  }

  static BigDecimal number(String text) {
    return new BigDecimal(text);
  }

  @Test
  void literals() throws HclException {
    assertEquals(number("42"), eval("42"));
    assertEquals(number("1.5"), eval("1.5"));
    assertEquals(number("1000"), eval("1e3"));
    assertEquals(true, eval("true"));
    assertEquals(false, eval("false"));
    assertEquals(null, eval("null"));
    assertEquals("hi", eval("\"hi\""));
  }

  @Test
  void arithmeticPrecedence() throws HclException {
    assertEquals(number("7"), eval("1 + 2 * 3"));
    assertEquals(number("9"), eval("(1 + 2) * 3"));
    assertEquals(number("1"), eval("10 % 3"));
    assertEquals(number("2.5"), eval("5 / 2"));
    assertEquals(number("-1"), eval("2 - 3"));
    assertEquals(number("-6"), eval("-2 * 3"));
    assertEquals(number("5"), eval("10 - 3 - 2"));
    assertEquals(number("4"), eval("\"2\" + 2"));
  }

  @Test
  void comparisonAndLogic() throws HclException {
    assertEquals(true, eval("1 < 2 && 2 <= 2"));
    assertEquals(true, eval("false || 3 > 2"));
    assertEquals(false, eval("!flag"));
    assertEquals(true, eval("1 + 1 == 2"));
    assertEquals(false, eval("1 == \"1\""));
    assertEquals(true, eval("items == [\"a\", \"b\", \"c\"]"));
    assertEquals(true, eval("name != \"other\""));
    assertEquals(true, eval("true || false && false"));
    assertEquals(false, eval("(true || false) && false"));
  }

  @Test
  void logicShortCircuits() throws HclException {
    assertEquals(true, eval("true || undefined_name"));
    assertEquals(false, eval("false && undefined_name"));
  }

  @Test
  void conditional() throws HclException {
    assertEquals("yes", eval("flag ? \"yes\" : \"no\""));
    assertEquals("no", eval("count > 5 ? \"yes\" : \"no\""));
    assertEquals("1", eval("true ? 1 : \"x\""));
    assertEquals(number("1"), eval("true ? 1 : 2"));
    assertEquals("b", eval("false ? \"a\" : true ? \"b\" : \"c\""));
  }

  @Test
  void conditionalNullConditionFails() {
    HclException e = failure("null ? 1 : 2");
    assertEquals(1, e.position().column());
    assertTrue(e.detail().contains("must be true or false"), e.detail());
  }

  @Test
  void tuplesAndObjects() throws HclException {
    assertEquals(List.of(number("1"), "two", true), eval("[1, \"two\", true]"));
    assertEquals(List.of(), eval("[]"));
    assertEquals(object("a", number("1"), "b-c", "x"), eval("{ a = 1, \"b-c\" = \"x\" }"));
    assertEquals(object("a", number("1"), "b", number("2")), eval("{\n a = 1\n b: 2\n}"));
    assertEquals(object("app", number("1")), eval("{ (name) = 1 }"));
    assertEquals(object("app-x", true), eval("{ \"${name}-x\" = true }"));
    assertEquals(List.of(number("1"), number("2")), eval("[\n 1,\n 2,\n]"));
  }

  @Test
  void indexAndAttributes() throws HclException {
    assertEquals("b", eval("items[1]"));
    assertEquals("a", eval("items.0"));
    assertEquals(number("2"), eval("object.b"));
    assertEquals(number("1"), eval("object[\"a\"]"));
    assertEquals("bob", eval("people[1].name"));
    assertEquals("c", eval("items[\"2\"]"));
  }

  @Test
  void indexOutOfRangeFailsAtKey() {
    HclException e = failure("items[5]");
    assertEquals(new Position("test.hcl", 1, 7), e.position());
    assertTrue(e.detail().contains("out of range"), e.detail());
  }

  @Test
  void missingAttributeNamesIt() {
    HclException e = failure("object.zzz");
    assertTrue(e.detail().contains("\"zzz\""), e.detail());
    assertTrue(e.detail().contains("a, b"), e.detail());
  }

  @Test
  void splats() throws HclException {
    assertEquals(List.of("ann", "bob"), eval("people[*].name"));
    assertEquals(List.of("ann", "bob"), eval("people.*.name"));
    assertEquals(List.of(), eval("null[*].name"));
    assertEquals(java.util.Arrays.asList("a", null), eval("[\"a\", null][*]"));
    assertEquals(false, eval("can([null][*].name)"));
    assertEquals(List.of("app"), eval("name[*]"));
    assertEquals(List.of(number("30"), number("40")), eval("[for p in people : p][*].age"));
  }

  @Test
  void forExpressions() throws HclException {
    assertEquals(List.of("A", "B", "C"), eval("[for s in items : upper(s)]"));
    assertEquals(List.of(number("0"), number("1"), number("2")), eval("[for i, s in items : i]"));
    assertEquals(List.of("b", "c"), eval("[for s in items : s if s != \"a\"]"));
    assertEquals(object("a", "A", "b", "B", "c", "C"), eval("{for s in items : s => upper(s)}"));
    assertEquals(List.of("a", "b"), eval("[for k, v in object : k]"));
    assertEquals(object("x", List.of("a", "b", "c")), eval("{for s in items : \"x\" => s...}"));
    assertEquals(object("ann", number("30"), "bob", number("40")), eval("{for p in people : p.name => p.age}"));
  }

  @Test
  void forDuplicateKeyFails() {
    HclException e = failure("{for s in items : \"x\" => s}");
    assertTrue(e.detail().contains("duplicate key \"x\""), e.detail());
  }

  @Test
  void templates() throws HclException {
    assertEquals("hello app!", eval("\"hello ${name}!\""));
    assertEquals("n=3", eval("\"n=${count}\""));
    assertEquals(List.of("a", "b", "c"), eval("\"${items}\""));
    assertEquals("${literal} %{literal}", eval("\"$${literal} %%{literal}\""));
    assertEquals("tab\tquote\"nl\nu\u00e9", eval("\"tab\\tquote\\\"nl\\nu\\u00e9\""));
    assertEquals("on", eval("\"%{ if flag }on%{ else }off%{ endif }\""));
    assertEquals("a,b,c,", eval("\"%{ for s in items }${s},%{ endfor }\""));
    assertEquals("0a1b2c", eval("\"%{ for i, s in items }${i}${s}%{ endfor }\""));
    assertEquals("x -y", eval("\"x - ${~ \"y\" ~} \""));
    assertEquals("nested app", eval("\"nested ${\"${name}\"}\""));
  }

  @Test
  void templateNullInterpolationFails() {
    HclException e = failure("\"a${null}\"");
    assertEquals(5, e.position().column());
    assertTrue(e.detail().contains("null"), e.detail());
  }

  @Test
  void heredocs() throws HclException {
    assertEquals("line app\n  two\n", eval("<<EOT\nline ${name}\n  two\nEOT\n"));
    assertEquals("a\n  b\nc\n", eval("<<-EOT\n    a\n      b\n    c\n    EOT\n"));
    assertEquals("keep \\n\n", eval("<<EOT\nkeep \\n\nEOT"));
  }

  @Test
  void functionCalls() throws HclException {
    assertEquals("A-B", eval("join(\"-\", [upper(\"a\"), \"B\"])"));
    assertEquals(number("5"), eval("max([1, 5, 2]...)"));
    assertEquals(number("3"), eval("length(items)"));
  }

  @Test
  void unknownFunctionFails() {
    HclException e = failure("nope(1)");
    assertTrue(e.detail().contains("unknown function \"nope\""), e.detail());
  }

  @Test
  void wrongArgumentCountFails() {
    HclException e = failure("upper(\"a\", \"b\")");
    assertTrue(e.detail().contains("takes 1 argument"), e.detail());
  }

  @Test
  void functionErrorPointsAtArgument() {
    HclException e = failure("upper(\"a\") == upper([1])");
    assertEquals(new Position("test.hcl", 1, 21), e.position());
  }

  @Test
  void unknownVariableFails() {
    HclException e = failure("1 + missing");
    assertEquals(new Position("test.hcl", 1, 5), e.position());
    assertTrue(e.detail().contains("unknown variable \"missing\""), e.detail());
  }

  @Test
  void arithmeticOnStringFails() {
    HclException e = failure("\"abc\" * 2");
    assertTrue(e.detail().contains("not a number"), e.detail());
  }

  @Test
  void divisionByZeroFails() {
    HclException e = failure("1 / 0");
    assertTrue(e.detail().contains("division by zero"), e.detail());
  }

  @Test
  void tryAndCan() throws HclException {
    assertEquals("fallback", eval("try(object.missing, \"fallback\")"));
    assertEquals(number("2"), eval("try(object.b, 0)"));
    assertEquals(false, eval("can(items[10])"));
    assertEquals(true, eval("can(items[1])"));
  }

  @Test
  void convertFunction() throws HclException {
    assertEquals(List.of("1", "true"), eval("convert([1, true], list(string))"));
    assertEquals(number("5"), eval("convert(\"5\", number)"));
    assertEquals(object("a", "x", "b", null), eval("convert({a = \"x\"}, object({a = string, b = optional(string)}))"));
  }
}
