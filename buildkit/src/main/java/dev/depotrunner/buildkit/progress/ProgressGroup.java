package dev.depotrunner.buildkit.progress;

/**
 * A named group of vertexes that progress output shows as one line, such as the vertexes of one
 * exporter.
 *
 * @param weak whether the group stays hidden until a member that is not weak starts
 */
public record ProgressGroup(String id, String name, boolean weak) {}
