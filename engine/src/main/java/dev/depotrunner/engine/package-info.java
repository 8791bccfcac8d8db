/**
 * A client of the Docker Engine API for what BuildKit cannot do itself: loading images into an engine,
 * pushing and pulling through it, and inspecting its images. {@link dev.depotrunner.engine.DockerEngineClient}
 * is the entry point; {@link dev.depotrunner.engine.EngineConnector} names the engine.
 */
package dev.depotrunner.engine;
