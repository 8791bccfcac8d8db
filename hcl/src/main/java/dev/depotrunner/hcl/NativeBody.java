package dev.depotrunner.hcl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A body in HCL native syntax, items kept in source order. */
record NativeBody(List<Object> items, Position position) implements Body {

  @Override
  public Content content(Map<String, Integer> blockTypes) throws HclException {
    List<Attribute> attributes = new ArrayList<>();
    List<Block> blocks = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof Attribute attribute) {
        attributes.add(attribute);
        continue;
      }

      Block block = (Block) item;
      Integer labels = blockTypes.get(block.type());
      if (labels != null && labels != block.labels().size()) {
        throw new HclException(block.position(), "block " + block.type() + " needs " + labels
            + (labels == 1 ? " label" : " labels") + " but has " + block.labels().size()
            + "; write it as " + block.type() + " \"name\" { ... }");
      }
      blocks.add(block);
    }
    return new Content(attributes, blocks);
  }
}
