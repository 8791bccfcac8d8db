package dev.depotrunner.engine;

/**
 * The engine's response to {@code GET /version}.
 *
 * @param version the engine release, such as {@code 28.5.1}
 * @param apiVersion the newest API version it serves, such as {@code 1.51}
 * @param minApiVersion the oldest API version it serves
 */
public record EngineVersion(String version, String apiVersion, String minApiVersion) {}
