package dev.depotrunner.runner.ci;

import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.DockerfileSource;
import dev.depotrunner.steps.build.options.ImageReference;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The report inputs that events do not carry: each target's tags and Dockerfile, and, in Depot mode,
 * the build's id, page and project.
 *
 * @param targets by target name, in build order
 */
public record ReportContext(
    Map<String, TargetInputs> targets, Optional<String> buildId, Optional<String> buildUrl, Optional<String> projectId) {

  public ReportContext {
    targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  /**
   * A target's inputs.
   *
   * @param tags the image names as given
   * @param dockerfile the Dockerfile on this machine, or null when it is read from stdin or a remote
   *     context
   */
  public record TargetInputs(List<String> tags, Path dockerfile) {
    public TargetInputs {
      tags = List.copyOf(tags);
    }
  }

  /** Returns the context of a single {@code depot build}, with no Depot build identity. */
  public static ReportContext forBuild(String target, BuildOptions options) {
    return new ReportContext(Map.of(target, inputs(options)), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Returns the context of a {@code depot bake}, with every target's inputs in the order given. */
  public static ReportContext forBake(Map<String, BuildOptions> targets) {
    Map<String, TargetInputs> inputs = new LinkedHashMap<>();
    targets.forEach((name, options) -> inputs.put(name, inputs(options)));
    return new ReportContext(inputs, Optional.empty(), Optional.empty(), Optional.empty());
  }

  private static TargetInputs inputs(BuildOptions options) {
    Path dockerfile = null;
    if (options.dockerfile() instanceof DockerfileSource.Local local && !local.fromStdin()) {
      dockerfile = local.file();
    }
    List<String> tags = options.tags().stream().map(ImageReference::toString).toList();
    return new TargetInputs(tags, dockerfile);
  }

  /** Returns a copy with the Depot build's id, page and project, each empty when unknown. */
  public ReportContext withDepotBuild(Optional<String> id, Optional<String> url, Optional<String> project) {
    return new ReportContext(targets, id, url, project);
  }

  TargetInputs inputs(String target) {
    return targets.getOrDefault(target, new TargetInputs(List.of(), null));
  }
}
