package dev.depotrunner.controlplane;

import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.controlplane.registry.DepotRegistry;
import dev.depotrunner.controlplane.registry.RegistryTokenIssuer;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the control plane by hand until the process is stopped:
 * {@code java dev.depotrunner.controlplane.Main [BUILDKIT_ADDRESS [TOKEN [PROJECT]]]}. The BuildKit address
 * defaults to the environment's ({@code BUILDKIT_HOST}, {@code DOCKER_HOST} or the local Docker socket);
 * the token and project default to {@code local-token} and {@code local-project}. With the variables of
 * {@code scripts/local-env env}, it also saves builds in the token registry and issues its tokens, so
 * {@code --save}, {@code depot push} and {@code depot pull} work. It prints the variables to set.
 */
public final class Main {

  private static final String PULL_USER = "local-pull";
  private static final String PULL_PASSWORD = "local-pull-password";

  private Main() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> environment = System.getenv();
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

    String registryHost = environment.getOrDefault("DEPOT_RUNNER_TOKEN_REGISTRY", "");
    String issuerAddress = environment.getOrDefault("DEPOT_RUNNER_TOKEN_ISSUER_ADDR", "");
    if (registryHost.isEmpty() || issuerAddress.isEmpty()) {
      System.out.println("no registry for --save: run eval \"$(scripts/local-env env)\" before this to add one");
    } else {
      DepotRegistry registry = DepotRegistry.serve(controlPlane, token, PULL_USER, PULL_PASSWORD);
      registry.saveBuildsIn(registryHost);
      RegistryTokenIssuer issuer = RegistryTokenIssuer.fromLocalEnv(
          environment, registry::acceptsCredentials, registry::allows);
      int colon = issuerAddress.lastIndexOf(':');
      HttpServer issuerServer;
      try {
        issuerServer = issuer.serve(new InetSocketAddress(
            issuerAddress.substring(0, colon), Integer.parseInt(issuerAddress.substring(colon + 1))));
      } catch (BindException e) {
        // The token registry sends clients to this fixed address, so another port would not work.
        System.err.println("error: " + issuerAddress + " is in use, by another control plane or a test that"
            + " issues registry tokens: stop it and start this again");
        System.exit(1);
        return;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> issuerServer.stop(0), "token-issuer-stop"));
      System.out.println("saving builds in " + registryHost + ", registry tokens issued at " + issuerAddress);
    }

    System.out.println("control plane listening at " + controlPlane.url() + ", builder at "
        + controlPlane.builderEndpoint().orElseThrow() + " forwarding to " + buildkit);
    String registryVariable = registryHost.isEmpty() ? "" : " DEPOT_REGISTRY_HOST=" + registryHost;
    System.out.println("export DEPOT_API_URL=" + controlPlane.url() + " DEPOT_TOKEN=" + token
        + " DEPOT_PROJECT_ID=" + project + registryVariable);
    new CountDownLatch(1).await();
  }
}
