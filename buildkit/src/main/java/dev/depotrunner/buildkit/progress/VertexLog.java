package dev.depotrunner.buildkit.progress;

import java.time.Instant;

/**
 * A chunk of a vertex's output, as BuildKit sends it (not split at line ends).
 *
 * @param timestamp when the builder read the chunk, by the builder's clock
 * @param stream 1 for stdout, 2 for stderr
 */
public record VertexLog(String vertex, Instant timestamp, int stream, byte[] data) {}
