package dev.depotrunner.hcl;

import java.util.List;
import java.util.Map;

/**
 * The contents of a file or a block: attributes and nested blocks. A native-syntax body knows which of
 * its items are blocks; a JSON body learns it from the schema passed to {@link #content}, as the HCL JSON
 * specification requires.
 */
public sealed interface Body permits NativeBody, JsonBody {

  /** Where the body starts: the file start or the block's opening brace. */
  Position position();

  /**
   * Splits the body into attributes and blocks. {@code blockTypes} maps each block type the caller
   * expects to its number of labels; a JSON property with one of those names is read as blocks, every
   * other property as an attribute. Native-syntax blocks of other types are returned as written.
   */
  Content content(Map<String, Integer> blockTypes) throws HclException;

  /** The attributes and blocks of a body, in source order. */
  record Content(List<Attribute> attributes, List<Block> blocks) {}

  /** {@code name = expression}. */
  record Attribute(String name, Expression expression, Position position) {}

  /** {@code type "label" ... { body }}; {@code position} is that of the type keyword. */
  record Block(String type, List<String> labels, List<Position> labelPositions, Body body, Position position) {}
}
