package dev.depotrunner.steps.build;

import dev.depotrunner.engine.DockerEngineClient;
import java.util.Map;

/** The Docker Engine that {@code DOCKER_HOST} names, else the local socket, as the docker CLI picks it. */
public final class DockerHost {

  private DockerHost() {}

  /** Builds a client for that engine, reading its TLS files ({@code DOCKER_CERT_PATH}) now. */
  public static DockerEngineClient client(Map<String, String> environment) throws BuildStepException {
    return EngineTransfers.client(EngineTransfers.dockerHost(environment));
  }
}
