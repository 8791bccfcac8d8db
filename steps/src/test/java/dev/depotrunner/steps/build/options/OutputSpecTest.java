package dev.depotrunner.steps.build.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * --output values compared with what buildx's ExportEntry parser gives for them (worked out from
 * buildx util/buildflags/export.go and build/opt.go CreateExports).
 */
class OutputSpecTest {

  private static void assertOutput(String value, String type, Map<String, String> attributes, String destination) {
    OutputSpec spec = OutputSpec.parse(value);
    assertEquals(type, spec.type(), "type of " + value);
    assertEquals(attributes, spec.attributes(), "attributes of " + value);
    assertEquals(Optional.ofNullable(destination), spec.destination(), "destination of " + value);
  }

  private static String assertInvalid(String value) {
    String message = assertThrows(InvalidOptionException.class, () -> OutputSpec.parse(value)).getMessage();
    assertTrue(message.contains(value), message);
    assertFalse(message.contains("\n"), message);
    return message;
  }

  @Test
  void parse_shorthands() {
    assertOutput("out", "local", Map.of(), "out");
    assertOutput("./build/out dir", "local", Map.of(), "./build/out dir");
    assertOutput("-", "tar", Map.of(), "-");
    // One field without a type is a folder name for buildx, even when it looks like key=value.
    assertOutput("dest=out", "local", Map.of(), "dest=out");
  }

  @Test
  void parse_typedOutputs() {
    assertOutput("type=local,dest=out", "local", Map.of(), "out");
    assertOutput("type=tar", "tar", Map.of(), "-");
    assertOutput("type=tar,dest=out.tar", "tar", Map.of(), "out.tar");
    assertOutput("type=oci,dest=image.tar", "oci", Map.of(), "image.tar");
    assertOutput("type=oci", "oci", Map.of(), "-");
    assertOutput("type=oci,tar=false,dest=layout", "oci", Map.of("tar", "false"), "layout");
    assertOutput("type=oci,tar=maybe", "oci", Map.of("tar", "maybe"), "-");
    assertOutput("type=docker", "docker", Map.of(), null);
    assertOutput("type=docker,dest=", "docker", Map.of(), null);
    assertOutput("type=docker,dest=image.tar", "docker", Map.of(), "image.tar");
    assertOutput("type=registry", "registry", Map.of(), null);
    assertOutput("type=cacheonly", "cacheonly", Map.of(), null);
    assertOutput("type=image,name=a/b,push=true", "image", Map.of("name", "a/b", "push", "true"), null);
  }

  @Test
  void parse_keysAreTrimmedAndLowercased() {
    assertOutput(" TYPE=local,Dest=out", "local", Map.of(), "out");
    assertOutput("type=image,Compression=zstd", "image", Map.of("compression", "zstd"), null);
  }

  @Test
  void parse_quoting() {
    assertOutput("\"type=image\",\"name=a/b,c/d\"", "image", Map.of("name", "a/b,c/d"), null);
    assertOutput("type=image,\"annotation.x=say \"\"hi\"\", twice\"", "image",
        Map.of("annotation.x", "say \"hi\", twice"), null);
    assertOutput("type=local,\"dest=a,b\"", "local", Map.of(), "a,b");
  }

  @Test
  void parse_quotedShorthandIsNotAPath() {
    // buildx: one field that differs from the raw value goes through key=value parsing: "invalid value out".
    assertTrue(assertInvalid("\"out\"").contains("\"out\" is not key=value"));
  }

  @Test
  void parse_errors() {
    assertTrue(assertInvalid("dest=out,compression=zstd").contains("type is required"));
    assertTrue(assertInvalid("type=").contains("type is required"));
    assertTrue(assertInvalid("type=foo,dest=x").contains("unknown type \"foo\""));
    assertTrue(assertInvalid("type=local").contains("dest is required"));
    assertTrue(assertInvalid("type=local,dest=-").contains("cannot write to stdout"));
    assertTrue(assertInvalid("type=oci,tar=false").contains("dest is required"));
    assertTrue(assertInvalid("type=local,dest").contains("\"dest\" is not key=value"));
    assertTrue(assertInvalid("type=local,dest=a,b").contains("\"b\" is not key=value"));
    assertTrue(assertInvalid("type=image,name=\"a\"").contains("bare \""));
    assertTrue(assertInvalid("type=local,\"dest=out").contains("missing closing"));
  }

  @Test
  void destinationKinds() {
    assertTrue(OutputSpec.parse("out").writesDirectory());
    assertTrue(OutputSpec.parse("-").writesStdout());
    assertTrue(OutputSpec.parse("type=oci,tar=false,dest=x").writesDirectory());
    assertTrue(OutputSpec.parse("type=docker,dest=x.tar").writesFile());
    assertFalse(OutputSpec.parse("type=image").writesFile());
    assertFalse(OutputSpec.parse("type=docker").writesStdout());
  }
}
