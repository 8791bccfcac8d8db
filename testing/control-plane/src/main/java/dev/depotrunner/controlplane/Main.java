package dev.depotrunner.controlplane;

import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the control plane by hand until the process is stopped:
 * {@code java dev.depotrunner.controlplane.Main [BUILDKIT_ADDRESS [TOKEN [PROJECT]]]}. The BuildKit address
 * defaults to the environment's ({@code BUILDKIT_HOST}, {@code DOCKER_HOST} or the local Docker socket);
 * the token and project default to {@code local-token} and {@code local-project}. It prints the URL and
 * the variables to set for {@code depot build}.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    BuilderEndpoint buildkit = args.length > 0
        ? BuilderEndpoint.parse(args[0])
        : BuilderEndpoint.fromEnvironment().orElseThrow(() -> new IllegalArgumentException(
            "no BuildKit found: pass its address, such as docker://unix:///var/run/docker.sock, or set DOCKER_HOST"));
    String token = args.length > 1 ? args[1] : "local-token";
    String project = args.length > 2 ? args[2] : "local-project";

    ControlPlane controlPlane = ControlPlane.start(buildkit);
    controlPlane.addToken(token);
    controlPlane.addProject(project, project);
    Runtime.getRuntime().addShutdownHook(new Thread(controlPlane::close, "control-plane-stop"));

    System.out.println("control plane listening at " + controlPlane.url() + ", builder at "
        + controlPlane.builderEndpoint().orElseThrow() + " forwarding to " + buildkit);
    System.out.println("export DEPOT_API_URL=" + controlPlane.url() + " DEPOT_TOKEN=" + token
        + " DEPOT_PROJECT_ID=" + project);
    new CountDownLatch(1).await();
  }
}
