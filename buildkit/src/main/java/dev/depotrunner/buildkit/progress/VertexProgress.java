package dev.depotrunner.buildkit.progress;

import java.time.Instant;

/**
 * Progress of one task inside a vertex, such as a layer being pulled or a context being sent.
 *
 * @param id the task's name, unique within the vertex, such as {@code transferring context:}
 * @param name a short kind of task, such as {@code transferring}, or empty
 * @param current bytes or items done so far
 * @param total 0 when unknown
 * @param timestamp when the builder last updated the task
 * @param started null until the task starts
 * @param completed null until the task ends
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
