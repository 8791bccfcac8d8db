package dev.depotrunner.buildkit.progress;

import java.time.Instant;

/**
 * Progress of one task inside a vertex, such as a layer being pulled or a context being sent.
 *
 * @param current bytes or items done so far
 * @param total 0 when unknown
 */
public record VertexProgress(
    String id,
    String vertex,
    String name,
    long current,
    long total,
    Instant timestamp,
    Instant started,
    Instant completed) {}
