package dev.depotrunner.hcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values come from go-cty's documented behaviour and buildx 0.29.1's output for the same calls. */
class StandardFunctionsTest {

  private static Object eval(String expression) throws HclException {
    return new EvalContext(Map.of(), StandardFunctions.all()).evaluate(Hcl.parseExpression("f.hcl", expression));
  }

  @Test
  void formatVerbs() throws HclException {
    assertEquals("x-007-3.14-v-true-\"q\"", eval("format(\"%s-%03d-%.2f-%v-%t-%q\", \"x\", 7, 3.14159, \"v\", true, \"q\")"));
    assertEquals("100%", eval("format(\"%d%%\", 100)"));
    assertEquals("b a", eval("format(\"%[2]s %[1]s\", \"a\", \"b\")"));
    assertEquals("[1,2]", eval("format(\"%v\", [1, 2])"));
    assertEquals("ff", eval("format(\"%x\", 255)"));
    assertEquals("1.500000|1.234500e+03|1.2e-05", eval("format(\"%f|%e|%g\", 1.5, 1234.5, 0.000012)"));
    assertEquals("1.5|1.234567e+06", eval("format(\"%g|%g\", 1.5, 1234567)"));
    assertEquals("  ab|ab  ", eval("format(\"%4s|%-4s\", \"ab\", \"ab\")"));
    assertEquals(List.of("a=1", "b=2"), eval("formatlist(\"%s=%d\", [\"a\", \"b\"], [1, 2])"));
  }

  @Test
  void formatMissingArgumentFails() {
    HclException e = assertThrows(HclException.class, () -> eval("format(\"%s %s\", \"a\")"));
    assertTrue(e.detail().contains("not enough arguments"), e.detail());
  }

  @Test
  void dates() throws HclException {
    assertEquals("2024-03-05 07:08:09 Tue Mar", eval("formatdate(\"YYYY-MM-DD hh:mm:ss EEE MMM\", \"2024-03-05T07:08:09Z\")"));
    assertEquals("5 March 2024, 7:08 AM Z", eval("formatdate(\"D MMMM YYYY, H:mm AA Z\", \"2024-03-05T07:08:09Z\")"));
    assertEquals("it's +0200", eval("formatdate(\"'it''s' ZZZZ\", \"2024-03-05T07:08:09+02:00\")"));
    assertEquals("2024-01-02T12:30:00Z", eval("timeadd(\"2024-01-01T00:00:00Z\", \"36h30m\")"));
    assertEquals("2023-12-31T23:59:59Z", eval("timeadd(\"2024-01-01T00:00:00Z\", \"-500ms\")"));
  }

  @Test
  void regexResults() throws HclException {
    assertEquals("123", eval("regex(\"[0-9]+\", \"abc123\")"));
    assertEquals(List.of("1", "2"), eval("regex(\"(\\\\d)\\\\.(\\\\d)\", \"v1.2\")"));
    assertEquals(Map.of("major", "1", "minor", "2"), eval("regex(\"(?P<major>\\\\d)\\\\.(?P<minor>\\\\d)\", \"v1.2\")"));
    assertEquals(List.of("a", "b"), eval("regexall(\"[a-z]\", \"a1b2\")"));
    assertEquals("major-1", eval("regex_replace(\"v1.2.3\", \"^v([0-9]+)\\\\..*$\", \"major-$1\")"));
    assertEquals("x-y", eval("regex_replace(\"a-b\", \"(?P<first>\\\\w)-(?P<second>\\\\w)\", \"x-y\")"));
  }

  @Test
  void regexWithoutMatchFails() {
    HclException e = assertThrows(HclException.class, () -> eval("regex(\"z\", \"abc\")"));
    assertTrue(e.detail().contains("did not match"), e.detail());
  }

  @Test
  void networks() throws HclException {
    assertEquals("10.0.2.0/24", eval("cidrsubnet(\"10.0.0.0/16\", 8, 2)"));
    assertEquals("10.0.0.5", eval("cidrhost(\"10.0.0.0/24\", 5)"));
    assertEquals("10.0.0.255", eval("cidrhost(\"10.0.0.0/24\", -1)"));
    assertEquals("255.240.0.0", eval("cidrnetmask(\"10.0.0.0/12\")"));
    assertEquals(List.of("10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/24"), eval("cidrsubnets(\"10.0.0.0/16\", 4, 4, 8)"));
    assertEquals("fd00:0:0:1::/64", eval("cidrsubnet(\"fd00::/48\", 16, 1)"));
    assertEquals("2001:db8::1", eval("cidrhost(\"2001:db8::/64\", 1)"));
  }

  @Test
  void subnetTooLargeFails() {
    HclException e = assertThrows(HclException.class, () -> eval("cidrsubnet(\"10.0.0.0/30\", 4, 0)"));
    assertTrue(e.detail().contains("insufficient address space"), e.detail());
  }

  @Test
  void collections() throws HclException {
    assertEquals(List.of("a", "m", "z"), eval("keys({z = 1, a = 2, m = 3})"));
    assertEquals(List.of(new BigDecimal("2"), new BigDecimal("1")), eval("values({z = 1, a = 2})"));
    assertEquals(List.of(new BigDecimal("1"), new BigDecimal("4"), new BigDecimal("7")), eval("range(1, 10, 3)"));
    assertEquals(List.of(new BigDecimal("3"), new BigDecimal("2")), eval("range(3, 1)"));
    assertEquals("b", eval("element([\"a\", \"b\", \"c\"], 4)"));
    assertEquals(List.of("a", "c"), eval("setsymmetricdifference([\"a\", \"b\"], [\"b\", \"c\"])"));
    assertEquals(List.of(List.of("a", "1"), List.of("b", "1")), eval("setproduct([\"a\", \"b\"], [\"1\"])"));
    assertEquals("x", eval("lookup({a = \"x\"}, \"a\")"));
    assertEquals(true, eval("hasindex({a = 1}, \"a\")"));
    assertEquals(List.of(Map.of("a", "1", "b", "2")), eval("csvdecode(\"a,b\\n1,2\\n\")"));
  }

  @Test
  void lookupWithoutDefaultFails() {
    HclException e = assertThrows(HclException.class, () -> eval("lookup({a = 1}, \"b\")"));
    assertEquals(new Position("f.hcl", 1, 17), e.position());
  }

  @Test
  void numbers() throws HclException {
    assertEquals(new BigDecimal("1024"), eval("pow(2, 10)"));
    assertEquals(new BigDecimal("255"), eval("parseint(\"ff\", 16)"));
    assertEquals(new BigDecimal("-255"), eval("parseint(\"-FF\", 16)"));
    assertEquals(new BigDecimal("3"), eval("log(8, 2)"));
    assertEquals(new BigDecimal("-3"), eval("int(-3.7)"));
    assertEquals(new BigDecimal("-1"), eval("-7 % 3"));
    assertEquals(new BigDecimal("0.3"), eval("0.1 + 0.2"));
  }

  @Test
  void encodings() throws HclException {
    assertEquals("{\"a\":[1,true,null],\"b\":\"\\u003cx\\u003e\"}", eval("jsonencode({b = \"<x>\", a = [1, true, null]})"));
    assertEquals(Map.of("a", List.of(new BigDecimal("1"))), eval("jsondecode(\"{\\\"a\\\": [1]}\")"));
    assertEquals("a+b%26c%3Dd%2F%C3%A9", eval("urlencode(\"a b&c=d/é\")"));
    assertEquals("cfbff0d1-9375-5685-968c-48ce8b15ae17", eval("uuidv5(\"dns\", \"example.com\")"));
    assertEquals("hello", eval("base64decode(base64encode(\"hello\"))"));
    assertEquals(36, ((String) eval("uuidv4()")).length());
  }

  @Test
  void strings() throws HclException {
    assertEquals("Hello Wide_world", eval("title(\"hello wide_world\")"));
    assertEquals("world", eval("substr(\"hello world\", -5, -1)"));
    assertEquals("line", eval("chomp(\"line\\r\\n\\n\")"));
    assertEquals("a\n  b", eval("indent(2, \"a\\nb\")"));
    assertEquals(List.of("a", "", "b"), eval("split(\",\", \"a,,b\")"));
    assertEquals(List.of(), eval("split(\",\", \"\")"));
    assertEquals(new BigDecimal("5"), eval("strlen(\"héllo\")"));
  }
}
