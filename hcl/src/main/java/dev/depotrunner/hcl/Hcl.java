package dev.depotrunner.hcl;

import dev.depotrunner.hcl.JsonNode.JsonObject;

/** Entry points: parse HCL native or JSON syntax into a {@link Body}, or text into an {@link Expression}. */
public final class Hcl {

  private Hcl() {}

  /** Parses a file in HCL native syntax; {@code file} names it in positions and messages. */
  public static Body parse(String file, String text) throws HclException {
    return new Parser(file, text).parseFile();
  }

  /** Parses a file in HCL's JSON syntax, whose top level must be an object. */
  public static Body parseJson(String file, String text) throws HclException {
    JsonNode document = new JsonReader(file, text).readDocument();
    if (!(document instanceof JsonObject object)) {
      throw new HclException(document.position(), "the top level of an HCL JSON file must be an object {...}");
    }
    return new JsonBody(object);
  }

  /** Parses one expression in native syntax, such as {@code var.a + 1}. */
  public static Expression parseExpression(String file, String text) throws HclException {
    return new Parser(file, text).parseWholeExpression();
  }

  /** Parses a string template in native syntax without surrounding quotes, such as {@code v${version}}. */
  public static Expression parseTemplate(String file, String text) throws HclException {
    return new Parser(file, text).parseWholeTemplate();
  }
}
