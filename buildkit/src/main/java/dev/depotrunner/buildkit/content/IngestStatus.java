package dev.depotrunner.buildkit.content;

import java.time.Instant;

/**
 * The state of an unfinished write (an ingest) named by {@code ref}: bytes written so far
 * ({@code offset}), the expected size if known ({@code total}, else 0) and its times.
 */
record IngestStatus(String ref, long offset, long total, Instant startedAt, Instant updatedAt) {}
