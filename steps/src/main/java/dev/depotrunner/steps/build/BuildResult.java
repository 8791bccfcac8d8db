package dev.depotrunner.steps.build;

import java.util.Map;

/**
 * What a successful build produced.
 *
 * @param exporterResponse BuildKit's exporter response, such as {@code containerimage.digest}
 * @param imageId the id {@code --iidfile} and {@code --quiet} show, or empty
 */
public record BuildResult(Map<String, String> exporterResponse, String imageId) {

  public BuildResult {
    exporterResponse = Map.copyOf(exporterResponse);
  }
}
