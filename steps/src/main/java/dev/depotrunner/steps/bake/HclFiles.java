package dev.depotrunner.steps.bake;

import java.util.List;
import java.util.Map;

/** Reads HCL and JSON bake files into targets and groups. */
final class HclFiles {

  private HclFiles() {}

  static BakeConfig read(List<BakeSource> sources, Map<String, String> environment) throws BakeFileException {
    // TODO: read through the HCL evaluator once it is in the tree; until then only Compose files work.
    throw new BakeFileException(sources.get(0).name(), "HCL and JSON bake files are not supported in this build yet; use a Compose file");
  }
}
