package dev.depotrunner.buildkit.progress;

import java.time.Instant;
import java.util.List;

/**
 * A vertex (one build step, such as {@code [build 2/4] RUN make}) as last reported.
 *
 * @param digest the vertex's id, stable across batches
 * @param started null until the step starts
 * @param completed null until the step ends
 * @param error empty unless the step failed
 * @param progressGroup null unless BuildKit groups this vertex with others under one name
 */
public record VertexState(
    String digest,
    List<String> inputs,
    String name,
    boolean cached,
    Instant started,
    Instant completed,
    String error,
    ProgressGroup progressGroup) {

  public VertexState {
    inputs = List.copyOf(inputs);
  }

  public boolean failed() {
    return !error.isEmpty();
  }
}
