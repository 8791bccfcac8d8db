package dev.depotrunner.steps.depot;

import dev.depotrunner.steps.build.BuildResult;

/**
 * The outputs of a build on a Depot builder, with the ids CI reporters show.
 *
 * @param build the image and exporter response
 * @param buildId Depot's id of the build
 * @param buildUrl the build's page in Depot
 * @param projectId the project the build ran in, which Depot may choose differently from the request
 */
public record DepotBuildResult(BuildResult build, String buildId, String buildUrl, String projectId) {}
