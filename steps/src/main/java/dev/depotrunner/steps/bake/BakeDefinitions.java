package dev.depotrunner.steps.bake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves a {@code depot bake} request into the targets to build, as {@code docker buildx bake} does:
 * reads the files, merges Compose files first and HCL and JSON files after them, applies the overrides,
 * and selects the named targets and groups.
 */
public final class BakeDefinitions {

  private BakeDefinitions() {}

  public static BakeDefinition resolve(BakeRequest request) throws BakeFileException {
    List<BakeSource> sources = BakeFiles.read(request.files(), request.workingDirectory(), request.stdin());
    return resolve(sources, request);
  }

  /** Resolves already read files; {@link #resolve(BakeRequest)} reads them first. */
  public static BakeDefinition resolve(List<BakeSource> sources, BakeRequest request) throws BakeFileException {
    BakeConfig config = parse(sources, request);
    var overrides = BakeOverride.parse(request.allOverrides(), config, request.environment());
    List<String> targets = request.targets().isEmpty() ? List.of("default") : request.targets();
    String files = String.join(", ", sources.stream().map(BakeSource::name).toList());

    BakeDefinition definition = new BakeResolver(config, overrides, files).resolve(targets);
    addSourceDateEpoch(definition, request.environment());
    return definition;
  }

  private static BakeConfig parse(List<BakeSource> sources, BakeRequest request) throws BakeFileException {
    List<BakeSource> compose = new ArrayList<>();
    List<BakeSource> hcl = new ArrayList<>();
    for (BakeSource source : sources) {
      (ComposeReader.isCompose(source) ? compose : hcl).add(source);
    }

    var config = new BakeConfig();
    if (!compose.isEmpty()) {
      // Like buildx, Compose reads .env from the working folder, and the environment wins over it.
      Map<String, String> environment = DotEnv.load(request.workingDirectory().resolve(".env"), request.environment());
      config.addAll(new ComposeReader(environment).read(compose));
    }
    if (!hcl.isEmpty()) {
      config.addAll(HclFiles.read(hcl, request.environment()));
    }
    return config;
  }

  /** Adds SOURCE_DATE_EPOCH from the environment to every target that does not set it, as buildx does. */
  private static void addSourceDateEpoch(BakeDefinition definition, Map<String, String> environment) {
    String epoch = environment.getOrDefault("SOURCE_DATE_EPOCH", "");
    if (epoch.isEmpty()) {
      return;
    }
    for (BakeTarget target : definition.targets().values()) {
      if (target.args == null) {
        target.args = new java.util.LinkedHashMap<>();
      }
      target.args.putIfAbsent("SOURCE_DATE_EPOCH", epoch);
    }
  }
}
