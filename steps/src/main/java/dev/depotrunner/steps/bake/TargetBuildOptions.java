package dev.depotrunner.steps.bake;

import dev.depotrunner.steps.build.options.BuildOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a resolved bake target into the options of one build, as buildx's {@code toBuildOpt} does: a
 * relative Dockerfile is found in the target's context, {@code dockerfile-inline} replaces the file, and
 * every other field maps to the {@code depot build} flag of the same meaning.
 */
final class TargetBuildOptions {

  private TargetBuildOptions() {}

  /**
   * Fills {@code defaults} (the settings shared by every target, such as the builder and the progress
   * mode) with the target's fields.
   *
   * @param linkedContexts the value to use for each {@code target:NAME} context, by target name, such as
   *     {@code oci-layout://DIR@sha256:...}; a missing name keeps {@code target:NAME}
   * @param extraOutputs outputs added to the target's own, such as the OCI layout a dependent target reads
   * @throws BakeFileException when the target uses something a build cannot do
   */
  static BuildOptions.Builder builder(
      BakeTarget target, Supplier<BuildOptions.Builder> defaults, Map<String, String> linkedContexts, List<String> extraOutputs)
      throws BakeFileException {
    if (target.call != null && !target.call.isEmpty() && !target.call.equals("build")) {
      // NOTE: the frontend subrequests behind --call (check, outline, targets) are not implemented.
      throw target.error("target \"" + target.name + "\": call = \"" + target.call
          + "\" is not supported by depot bake yet; remove it or run docker buildx bake --call " + target.call);
    }

    BuildOptions.Builder builder = defaults.get().context(withoutCwdPrefix(target.context));
    if (target.dockerfileInline != null) {
      byte[] dockerfile = target.dockerfileInline.getBytes(StandardCharsets.UTF_8);
      builder.file("-").stdin(() -> new ByteArrayInputStream(dockerfile));
    } else {
      builder.file(dockerfilePath(target));
    }

    builder.tags(orEmpty(target.tags))
        .buildArgs(keyValues(target.args))
        .labels(keyValues(target.labels))
        .platforms(orEmpty(target.platforms))
        .target(target.target)
        .noCache(Boolean.TRUE.equals(target.noCache))
        .noCacheFilter(orEmpty(target.noCacheFilter))
        .pull(Boolean.TRUE.equals(target.pull))
        .outputs(outputs(target, extraOutputs))
        .cacheFrom(flagValues(target.cacheFrom, CacheEntry::toFlagValue))
        .cacheTo(flagValues(target.cacheTo, CacheEntry::toFlagValue))
        .buildContexts(contexts(target, linkedContexts))
        .attests(flagValues(target.attest, AttestEntry::toFlagValue))
        .annotations(orEmpty(target.annotations))
        .addHosts(keyValues(target.extraHosts))
        .network(target.network)
        .shmSize(target.shmSize)
        .ulimits(orEmpty(target.ulimits))
        .allow(orEmpty(target.entitlements))
        .secrets(flagValues(target.secrets, SecretEntry::toFlagValue))
        .ssh(flagValues(target.ssh, SshEntry::toFlagValue));
    if (target.projectId != null && !target.projectId.isEmpty()) {
      builder.project(target.projectId);
    }
    return builder;
  }

  /** Returns the Dockerfile path: relative to the context for a local context, as buildx resolves it. */
  private static String dockerfilePath(BakeTarget target) {
    String dockerfile = target.dockerfile;
    String context = withoutCwdPrefix(target.context);
    boolean remoteContext = context.contains("://") || context.startsWith("git@");
    if (remoteContext || dockerfile.equals("-") || dockerfile.startsWith("/")) {
      return dockerfile;
    }
    return context.equals(".") ? dockerfile : context + "/" + dockerfile;
  }

  /** Turns {@code cwd://PATH}, a path relative to the working folder, into {@code PATH} ({@code .} when empty). */
  private static String withoutCwdPrefix(String path) {
    if (!path.startsWith("cwd://")) {
      return path;
    }
    String rest = path.substring("cwd://".length());
    return rest.isEmpty() ? "." : rest;
  }

  private static List<String> outputs(BakeTarget target, List<String> extraOutputs) {
    List<String> outputs = new ArrayList<>();
    if (target.outputs != null) {
      for (ExportEntry output : target.outputs) {
        // A linked target's cacheonly output is replaced by the export its dependent reads.
        if (!(output.type().equals("cacheonly") && !extraOutputs.isEmpty())) {
          outputs.add(output.toFlagValue());
        }
      }
    }
    outputs.addAll(extraOutputs);
    return outputs;
  }

  private static List<String> contexts(BakeTarget target, Map<String, String> linkedContexts) {
    List<String> contexts = new ArrayList<>();
    if (target.contexts != null) {
      target.contexts.forEach((name, value) -> {
        String linked = value.startsWith("target:") ? linkedContexts.get(value.substring("target:".length())) : null;
        contexts.add(name + "=" + (linked != null ? linked : withoutCwdPrefix(value)));
      });
    }
    return contexts;
  }

  private static List<String> keyValues(Map<String, String> values) {
    List<String> pairs = new ArrayList<>();
    if (values != null) {
      values.forEach((key, value) -> pairs.add(key + "=" + value));
    }
    return pairs;
  }

  private static <T> List<String> flagValues(List<T> entries, java.util.function.Function<T, String> toFlag) {
    List<String> values = new ArrayList<>();
    if (entries != null) {
      entries.forEach(entry -> values.add(toFlag.apply(entry)));
    }
    return values;
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }
}
