package dev.depotrunner.runner.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.depotrunner.steps.build.BuildMetadata;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs depot/build-push-action and depot/bake-action define: {@code imageid}, {@code digest},
 * {@code metadata}, {@code build-id}, {@code build-url} and {@code project-id}.
 */
final class BuildOutputs {

  static final List<String> NAMES = List.of("imageid", "digest", "metadata", "build-id", "build-url", "project-id");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BuildOutputs() {}

  /**
   * Returns the outputs that have a value, in {@link #NAMES} order. A single build gets its image id,
   * digest and metadata file's JSON; a bake with several targets gets only the metadata, keyed by
   * target as {@code docker buildx bake --metadata-file} writes it.
   */
  static Map<String, String> of(List<TargetRecord> targets, ReportContext context) {
    Map<String, String> outputs = new LinkedHashMap<>();
    List<TargetRecord> succeeded = targets.stream()
        .filter(target -> target.status() == TargetRecord.Status.SUCCEEDED)
        .toList();

    boolean single = targets.size() == 1 && context.targets().size() <= 1;
    if (single && !succeeded.isEmpty()) {
      Map<String, String> response = succeeded.get(0).exporterResponse();
      outputs.put("imageid", BuildMetadata.imageId(response));
      outputs.put("digest", response.getOrDefault("containerimage.digest", ""));
      outputs.put("metadata", json(BuildMetadata.fromExporterResponse(response)));
    } else if (!succeeded.isEmpty()) {
      ObjectNode metadata = JSON.createObjectNode();
      for (TargetRecord target : succeeded) {
        metadata.set(target.name(), BuildMetadata.fromExporterResponse(target.exporterResponse()));
      }
      outputs.put("metadata", json(metadata));
    }

    context.buildId().ifPresent(id -> outputs.put("build-id", id));
    context.buildUrl().ifPresent(url -> outputs.put("build-url", url));
    context.projectId().ifPresent(project -> outputs.put("project-id", project));
    outputs.values().removeIf(String::isEmpty);
    return outputs;
  }

  private static String json(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
