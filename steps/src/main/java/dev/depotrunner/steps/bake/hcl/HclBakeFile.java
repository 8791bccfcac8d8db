package dev.depotrunner.steps.bake.hcl;

import java.util.List;

/**
 * The groups and targets of HCL and JSON bake files, evaluated. Blocks are in file order of first
 * appearance; a later definition of the same name merges into it. A target whose matrix renamed it
 * also yields a group of the original name listing the new names, as buildx adds one.
 */
public record HclBakeFile(List<HclBlock> groups, List<HclBlock> targets) {

  public HclBakeFile {
    groups = List.copyOf(groups);
    targets = List.copyOf(targets);
  }
}
