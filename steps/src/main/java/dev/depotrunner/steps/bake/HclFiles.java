package dev.depotrunner.steps.bake;

import dev.depotrunner.steps.bake.hcl.HclBakeFile;
import dev.depotrunner.steps.bake.hcl.HclBakeReader;
import dev.depotrunner.steps.bake.hcl.HclBlock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads HCL and JSON bake files into targets and groups. */
final class HclFiles {

  private HclFiles() {}

  static BakeConfig read(List<BakeSource> sources, Map<String, String> environment) throws BakeFileException {
    HclBakeFile file = HclBakeReader.read(sources, environment, builtinVariables());
    var config = new BakeConfig();
    for (HclBlock block : file.groups()) {
      config.addGroup(HclTargets.group(block.name(), block.attributes(), block.file(), block.line(), block.column()));
    }
    for (HclBlock block : file.targets()) {
      if (!ComposeReader.TARGET_NAME.matcher(block.name()).matches()) {
        throw new BakeFileException(block.file(), block.line(), block.column(), "invalid target name \"" + block.name()
            + "\": only letters, digits, _ and - are allowed");
      }
      config.addTarget(HclTargets.target(block.name(), block.attributes(), block.file(), block.line(), block.column()));
    }
    return config;
  }

  /**
   * Returns the variables buildx defines for every bake file: {@code BAKE_CMD_CONTEXT}, which is {@code cwd://} for
   * local files, and {@code BAKE_LOCAL_PLATFORM}, the platform of this machine.
   */
  static Map<String, String> builtinVariables() {
    String architecture = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "arm" -> "arm/v7";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      default -> System.getProperty("os.arch");
    };
    return Map.of("BAKE_CMD_CONTEXT", "cwd://", "BAKE_LOCAL_PLATFORM", "linux/" + architecture);
  }
}
