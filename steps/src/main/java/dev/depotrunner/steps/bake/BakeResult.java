package dev.depotrunner.steps.bake;

import dev.depotrunner.steps.build.BuildResult;
import java.util.Map;

/** The outputs of a successful bake: one build result per target, by target name. */
public record BakeResult(Map<String, BuildResult> targets) {

  public BakeResult {
    targets = Map.copyOf(targets);
  }
}
