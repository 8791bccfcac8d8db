package dev.depotrunner.steps.bake.hcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.depotrunner.steps.bake.BakeFileException;
import dev.depotrunner.steps.bake.BakeSource;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HclBakeReaderTest {

  private static HclBakeFile read(String hcl) throws BakeFileException {
    return HclBakeReader.read(List.of(new BakeSource("docker-bake.hcl", hcl)), Map.of());
  }

  private static HclBakeFile read(String hcl, Map<String, String> environment) throws BakeFileException {
    return HclBakeReader.read(List.of(new BakeSource("docker-bake.hcl", hcl)), environment);
  }

  private static BakeFileException failure(String hcl) {
    return assertThrows(BakeFileException.class, () -> read(hcl));
  }

  private static HclBlock target(HclBakeFile file, String name) {
    return file.targets().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no target " + name));
  }

  @Test
  void variableDefaultAndEnvironmentOverride() throws BakeFileException {
    String hcl = """
        variable "TAG" { default = "v1" }
        target "app" { tags = ["app:${TAG}"] }
        """;
    assertEquals(List.of("app:v1"), target(read(hcl), "app").attributes().get("tags"));
    assertEquals(List.of("app:v2"), target(read(hcl, Map.of("TAG", "v2")), "app").attributes().get("tags"));
  }

  @Test
  void projectIdOnTarget() throws BakeFileException {
    String hcl = """
        target "base" { project_id = "abc123" }
        target "app" {
          inherits = ["base"]
          tags = ["app:${target.base.project_id}"]
        }
        """;
    assertEquals("abc123", target(read(hcl), "base").attributes().get("project_id"));
    assertEquals(List.of("app:abc123"), target(read(hcl), "app").attributes().get("tags"));
  }

  @Test
  void overrideParsedByDefaultType() throws BakeFileException {
    String hcl = """
        variable "ON" { default = false }
        variable "N" { default = 1 }
        target "app" { args = { ON = ON, N = N + 1 } }
        """;
    Map<?, ?> args = (Map<?, ?>) target(read(hcl, Map.of("ON", "true", "N", "41")), "app").attributes().get("args");
    assertEquals(true, args.get("ON"));
    assertEquals(new BigDecimal("42"), args.get("N"));
  }

  @Test
  void overrideThatIsNotBoolFails() {
    String hcl = "variable \"ON\" {\n  default = false\n}\ntarget \"app\" {}\n";
    BakeFileException e = assertThrows(BakeFileException.class, () -> read(hcl, Map.of("ON", "maybe")));
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("failed to parse ON as bool"), e.getMessage());
    assertTrue(e.getMessage().contains("environment variable ON"), e.getMessage());
  }

  @Test
  void globalAttributeIsAVariableWithoutOverride() throws BakeFileException {
    String hcl = """
        NAME = "fixed"
        target "app" { args = { NAME = NAME } }
        """;
    Map<?, ?> args = (Map<?, ?>) target(read(hcl, Map.of("NAME", "env")), "app").attributes().get("args");
    assertEquals("fixed", args.get("NAME"));
  }

  @Test
  void builtinVariables() throws BakeFileException {
    HclBakeFile file = HclBakeReader.read(List.of(new BakeSource("docker-bake.hcl",
        "target \"app\" { context = BAKE_CMD_CONTEXT }\n")), Map.of("BAKE_CMD_CONTEXT", "env"),
        Map.of("BAKE_CMD_CONTEXT", "cwd"));
    assertEquals("cwd", target(file, "app").attributes().get("context"));
  }

  @Test
  void unknownVariableFailsWithPosition() {
    BakeFileException e = failure("target \"app\" {\n  tags = [\"${NOPE}\"]\n}\n");
    assertEquals("docker-bake.hcl", e.file());
    assertEquals(2, e.line());
    assertEquals(14, e.column());
    assertTrue(e.getMessage().contains("unknown variable \"NOPE\""), e.getMessage());
  }

  @Test
  void unclosedBlockFailsWithPosition() {
    BakeFileException e = failure("target \"app\" {\n  tags = [\"a\"]\n");
    assertEquals(1, e.line());
    assertEquals(14, e.column());
    assertTrue(e.getMessage().contains("unclosed block"), e.getMessage());
  }

  @Test
  void variableCycleFailsWithPosition() {
    BakeFileException e = failure("""
        variable "A" { default = B }
        variable "B" { default = "${A}-b" }
        target "app" {}
        """);
    assertEquals(2, e.line());
    assertEquals(29, e.column());
    assertTrue(e.getMessage().contains("variable cycle: A -> B -> A"), e.getMessage());
  }

  @Test
  void referenceCycleBetweenTargetsFails() {
    BakeFileException e = failure("""
        target "a" { tags = target.b.tags }
        target "b" { tags = target.a.tags }
        """);
    assertTrue(e.getMessage().contains("reference cycle"), e.getMessage());
    assertTrue(e.line() > 0);
  }

  @Test
  void matrixDuplicateNameFailsWithPosition() {
    BakeFileException e = failure("""
        target "app" {
          matrix = { v = ["1", "2"] }
          name   = "app"
        }
        """);
    assertEquals(3, e.line());
    assertEquals(3, e.column());
    assertTrue(e.getMessage().contains("duplicate name \"app\""), e.getMessage());
  }

  @Test
  void matrixWithoutNameFails() {
    BakeFileException e = failure("target \"app\" {\n  matrix = { v = [\"1\", \"2\"] }\n}\n");
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("add a name attribute"), e.getMessage());
  }

  @Test
  void nameWithoutMatrixFails() {
    BakeFileException e = failure("target \"app\" {\n  name = \"x\"\n}\n");
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("name requires matrix"), e.getMessage());
  }

  @Test
  void matrixExpandsAndAddsGroup() throws BakeFileException {
    HclBakeFile file = read("""
        target "app" {
          matrix = { tgt = ["a", "b"], os = ["x"] }
          name   = "app-${tgt}-${os}"
          target = tgt
        }
        """);
    assertEquals(List.of("app-a-x", "app-b-x"), file.targets().stream().map(HclBlock::name).toList());
    assertEquals("b", target(file, "app-b-x").attributes().get("target"));
    assertFalse(target(file, "app-a-x").attributes().containsKey("matrix"));
    assertEquals(List.of("app-a-x", "app-b-x"), file.groups().get(0).attributes().get("targets"));
  }

  @Test
  void groupMatrixFails() {
    BakeFileException e = failure("group \"g\" {\n  targets = []\n  matrix = { a = [1] }\n}\n");
    assertEquals(3, e.line());
  }

  @Test
  void unknownTargetAttributeFails() {
    BakeFileException e = failure("target \"app\" {\n  tagz = [\"a\"]\n}\n");
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("unsupported attribute \"tagz\""), e.getMessage());
  }

  @Test
  void invalidTargetNameFails() {
    BakeFileException e = failure("target \"a.b\" {}\n");
    assertEquals(1, e.line());
    assertEquals(8, e.column());
  }

  @Test
  void validationFailureReportsMessage() {
    String hcl = """
        variable "PORT" {
          default = 80
          validation {
            condition     = PORT > 1024
            error_message = "PORT must be above 1024"
          }
        }
        target "app" {}
        """;
    BakeFileException e = assertThrows(BakeFileException.class, () -> read(hcl));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("PORT must be above 1024"), e.getMessage());
  }

  @Test
  void userFunctionsWithVariadicParameters() throws BakeFileException {
    HclBakeFile file = read("""
        function "suffix" {
          params          = [base]
          variadic_params = rest
          result          = [for r in rest : "${base}-${r}"]
        }
        target "app" { tags = suffix("app", "a", "b") }
        """);
    assertEquals(List.of("app-a", "app-b"), target(file, "app").attributes().get("tags"));
  }

  @Test
  void recursiveFunctionFails() {
    BakeFileException e = failure("""
        function "loop" {
          params = [x]
          result = loop(x)
        }
        target "app" { tags = [loop(1)] }
        """);
    assertTrue(e.getMessage().contains("function cycle"), e.getMessage());
  }

  @Test
  void functionsMissingFromPeerBuildx() throws BakeFileException {
    HclBakeFile file = read("""
        target "app" {
          args = {
            SEMVER   = semvercmp("1.2.3", ">= 1.2.0, < 2.0.0")
            CARET    = semvercmp("0.3.1", "^0.2")
            TILDE    = semvercmp("2.0.5", "~2.0")
            PRE      = semvercmp("2.0.0-rc.1", ">= 1.0.0")
            OR       = semvercmp("3.1.0", "1.x || >= 3.0")
            FORMAT   = formattimestamp("YYYY-MM-DD hh:mm", 1700000000)
            UNIX     = formattimestamp("X", "2023-11-14T22:13:20Z")
            WEEKDAY  = unixtimestampparse(1700000000).weekday_name
            ISO_WEEK = unixtimestampparse(1700000000).iso_week
          }
        }
        """);
    Map<?, ?> args = (Map<?, ?>) target(file, "app").attributes().get("args");
    assertEquals(true, args.get("SEMVER"));
    assertEquals(false, args.get("CARET"));
    assertEquals(true, args.get("TILDE"));
    assertEquals(false, args.get("PRE"));
    assertEquals(true, args.get("OR"));
    assertEquals("2023-11-14 22:13", args.get("FORMAT"));
    assertEquals("1700000000", args.get("UNIX"));
    assertEquals("Tuesday", args.get("WEEKDAY"));
    assertEquals(new BigDecimal("46"), args.get("ISO_WEEK"));
  }

  @Test
  void laterFileOverridesAndMerges() throws BakeFileException {
    HclBakeFile file = HclBakeReader.read(List.of(
        new BakeSource("a.hcl", "variable \"V\" { default = \"a\" }\n"
            + "target \"app\" {\n  args = { X = \"1\" }\n  tags = [V]\n}\n"),
        new BakeSource("b.json", "{\"variable\": {\"V\": {\"default\": \"b\"}},"
            + " \"target\": {\"app\": {\"args\": {\"Y\": \"2\"}}}}")), Map.of());
    HclBlock app = target(file, "app");
    assertEquals(Map.of("X", "1", "Y", "2"), app.attributes().get("args"));
    assertEquals(List.of("b"), app.attributes().get("tags"));
    assertEquals("a.hcl", app.file());
    assertEquals(2, app.line());
  }

  @Test
  void jsonSyntaxErrorHasPosition() {
    BakeFileException e = assertThrows(BakeFileException.class, () -> HclBakeReader.read(
        List.of(new BakeSource("docker-bake.json", "{\n  \"target\": {\n    \"app\": {\"tags\": [\"a\",]}\n  }\n}")),
        Map.of()));
    assertEquals("docker-bake.json", e.file());
    assertEquals(3, e.line());
  }

  @Test
  void nullAttributeStaysPresent() throws BakeFileException {
    HclBlock app = target(read("target \"app\" {\n  target = null\n}\n"), "app");
    assertTrue(app.attributes().containsKey("target"));
    assertEquals(null, app.attributes().get("target"));
    assertFalse(app.attributes().containsKey("context"));
  }

  @Test
  void typedListFromCsvAndJson() throws BakeFileException {
    String hcl = """
        variable "P" {
          type    = list(string)
          default = []
        }
        target "app" { platforms = P }
        """;
    assertEquals(List.of("a", "b"), target(read(hcl, Map.of("P", "a,b")), "app").attributes().get("platforms"));
    assertEquals(List.of("x,y"), target(read(hcl, Map.of("P", "a", "P_JSON", "[\"x,y\"]")), "app")
        .attributes().get("platforms"));
  }

  @Test
  void globalAttributeReadsTarget() throws BakeFileException {
    HclBakeFile file = read("""
        target "foo" { dockerfile = "x" }
        x = target.foo.dockerfile
        y = x
        target "bar" { dockerfile = y }
        """);
    assertEquals("x", target(file, "bar").attributes().get("dockerfile"));
  }

  @Test
  void targetReadsOwnAttributes() throws BakeFileException {
    HclBakeFile file = read("""
        target "foo" {
          dockerfile = "xxx"
          context    = target.bar.context
          target     = target.foo.dockerfile
        }
        target "bar" {
          dockerfile = target.foo.dockerfile
          context    = "yyy"
          target     = target.bar.name
        }
        """);
    assertEquals("yyy", target(file, "foo").attributes().get("context"));
    assertEquals("xxx", target(file, "foo").attributes().get("target"));
    assertEquals("xxx", target(file, "bar").attributes().get("dockerfile"));
    assertEquals("bar", target(file, "bar").attributes().get("target"));
  }

  @Test
  void unsetReferencedAttributeIsNull() throws BakeFileException {
    HclBlock foo = target(read("target \"foo\" {\n  context = target.foo.dockerfile\n}\n"), "foo");
    assertTrue(foo.attributes().containsKey("context"));
    assertEquals(null, foo.attributes().get("context"));
  }

  @Test
  void renamedTargetIsReferencedByNewName() throws BakeFileException {
    HclBakeFile file = read("""
        target "def" { dockerfile = target.xyz.dockerfile }
        target "abc" {
          name       = "xyz"
          matrix     = {}
          dockerfile = "foo"
        }
        """);
    assertEquals("foo", target(file, "def").attributes().get("dockerfile"));
    assertEquals(List.of("xyz"), file.groups().get(0).attributes().get("targets"));

    BakeFileException e = failure("""
        target "abc" {
          name       = "xyz"
          matrix     = {}
          dockerfile = "foo"
        }
        target "def" { dockerfile = target.abc.dockerfile }
        """);
    assertTrue(e.getMessage().contains("\"abc\""), e.getMessage());
  }

  @Test
  void renameAcrossFilesKeepsBothNames() throws BakeFileException {
    HclBakeFile file = HclBakeReader.read(List.of(
        new BakeSource("c1.hcl", "target \"foo\" {\n  name = \"bar\"\n  matrix = {}\n  dockerfile = \"x\"\n}\n"),
        new BakeSource("c2.hcl", "target \"foo\" {\n  context = \"y\"\n}\n"),
        new BakeSource("c3.hcl", "target \"bar\" {\n  target = \"z\"\n}\n")), Map.of());
    assertEquals(List.of("bar", "foo"), file.targets().stream().map(HclBlock::name).toList());
    assertEquals("x", target(file, "bar").attributes().get("dockerfile"));
    assertEquals("z", target(file, "bar").attributes().get("target"));
    assertEquals("y", target(file, "foo").attributes().get("context"));
    assertEquals(List.of("bar", "foo"), file.groups().get(0).attributes().get("targets"));
  }

  @Test
  void matrixOfObjects() throws BakeFileException {
    HclBakeFile file = read("""
        target "foo" {
          matrix = {
            aa = [{ foo = "aa", bar = "bb" }, { foo = "cc", bar = "dd" }]
          }
          name = aa.foo
          args = { target = "val${aa.bar}" }
        }
        """);
    assertEquals(Map.of("target", "valbb"), target(file, "aa").attributes().get("args"));
    assertEquals(Map.of("target", "valdd"), target(file, "cc").attributes().get("args"));
  }

  @Test
  void matrixOfWrongTypeFails() {
    for (String matrix : List.of("\"test\"", "[\"test\"]", "{ a = \"b\" }", "{ 1 = 2 }")) {
      BakeFileException e = failure("target \"default\" {\n  matrix = " + matrix + "\n}\n");
      assertEquals(2, e.line(), matrix);
      assertTrue(e.getMessage().contains("matrix"), e.getMessage());
    }
  }

  @Test
  void jsonFunctionsAndAttributes() throws BakeFileException {
    HclBakeFile file = HclBakeReader.read(List.of(new BakeSource("docker-bake.json", """
        {
          "FOO": "abc",
          "variable": {"BAR": {"default": "def"}},
          "function": {"myfunc": {"params": ["inp"], "result": "<${upper(inp)}-${FOO}>"}},
          "target": {"app": {"args": {"v1": "pre-${myfunc(\\"foo\\")}-${BAR}", "v2": "myfunc(\\"foo\\")"}}}
        }
        """)), Map.of());
    Map<?, ?> args = (Map<?, ?>) target(file, "app").attributes().get("args");
    assertEquals("pre-<FOO-abc>-def", args.get("v1"));
    assertEquals("myfunc(\"foo\")", args.get("v2"));
  }

  @Test
  void variableTypedAnyRejectsPlainOverride() {
    String hcl = "variable \"X\" {\n  type    = any\n  default = \"a\"\n}\ntarget \"app\" {}\n";
    BakeFileException e = assertThrows(BakeFileException.class, () -> read(hcl, Map.of("X", "b")));
    assertTrue(e.getMessage().contains("unsupported type any"), e.getMessage());
  }

  @Test
  void referencesReadFieldTypes() throws BakeFileException {
    HclBakeFile file = read("""
        target "base" {
          args     = { N = 1 }
          no-cache = "true"
          tags     = [1, true]
        }
        target "app" {
          labels = {
            EQUAL    = target.base.args.N == "1"
            NO_CACHE = target.base.no-cache == true
            TAGS     = jsonencode(target.base.tags)
          }
        }
        """);
    assertEquals(Map.of("EQUAL", true, "NO_CACHE", true, "TAGS", "[\"1\",\"true\"]"),
        target(file, "app").attributes().get("labels"));
    assertEquals(Map.of("N", new BigDecimal("1")), target(file, "base").attributes().get("args"));
  }
}
