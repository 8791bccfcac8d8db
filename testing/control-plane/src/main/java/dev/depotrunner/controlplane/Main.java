package dev.depotrunner.controlplane;

import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.controlplane.registry.DepotAccount;
import dev.depotrunner.controlplane.registry.DepotRegistry;
import dev.depotrunner.controlplane.registry.RegistryTokenIssuer;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the control plane by hand until the process is stopped:
 * {@code java dev.depotrunner.controlplane.Main [BUILDKIT_ADDRESS [TOKEN [PROJECT]]]}. The BuildKit address
 * defaults to the environment's ({@code BUILDKIT_HOST}, {@code DOCKER_HOST} or the local Docker socket);
 * the token and project default to {@code local-token} and {@code local-project}. PROJECT may list several
 * projects separated by commas, such as for a bake over two projects. With the variables of
 * {@code scripts/local-env env}, it also saves builds in the token registry and issues its tokens, so
 * {@code --save}, {@code depot push} and {@code depot pull} work. It prints the variables to set.
 */
public final class Main {

  private static final String PULL_USER = "local-pull";
  private static final String PULL_PASSWORD = "local-pull-password";

  static final String USAGE = """
      Usage: scripts/control-plane [BUILDKIT_ADDRESS [TOKEN [PROJECT]]]
      Runs a loopback stand-in for Depot's API whose builder forwards to BUILDKIT_ADDRESS (default: \
      BUILDKIT_HOST, DOCKER_HOST or the local Docker socket), and prints the DEPOT_* variables to export. \
      PROJECT may list several projects separated by commas; the first is the exported DEPOT_PROJECT_ID.
      """;

  private Main() {}

  /** The command line: the BuildKit to forward to, the accepted token and the project. */
  record Arguments(BuilderEndpoint buildkit, String token, String project) {}

  /** Starts the control plane from parsed arguments and returns only when the process is stopped. */
  interface Server {
    void serve(Arguments arguments) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int exitCode = run(args, System.getenv(), System.out, System.err, Main::serve);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /**
   * Prints the usage for {@code -h} or {@code --help}, prints an invalid argument as one {@code error:}
   * line, or else starts {@code server}.
   *
   * @return the exit code: 0 after the usage or the server, 1 for invalid arguments
   */
  static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err, Server server)
      throws Exception {
    if (Arrays.asList(args).contains("-h") || Arrays.asList(args).contains("--help")) {
      out.print(USAGE);
      return 0;
    }

    Arguments arguments;
    try {
      arguments = parse(args, environment);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    server.serve(arguments);
    return 0;
  }

  static Arguments parse(String[] args, Map<String, String> environment) {
    if (args.length > 3) {
      throw new IllegalArgumentException("too many arguments (" + args.length + "): expected at most"
          + " BUILDKIT_ADDRESS TOKEN PROJECT, see --help");
    }
    BuilderEndpoint buildkit = args.length > 0
        ? BuilderEndpoint.parse(args[0], environment)
        : BuilderEndpoint.fromEnvironment(environment).orElseThrow(() -> new IllegalArgumentException(
            "no BuildKit found: pass its address, such as docker://unix:///var/run/docker.sock, or set DOCKER_HOST"));
    String token = args.length > 1 ? args[1] : "local-token";
    String project = args.length > 2 ? args[2] : "local-project";
    projects(project);
    return new Arguments(buildkit, token, project);
  }

  /** Returns the projects of a PROJECT argument such as {@code web,api}, blank entries left out. */
  static List<String> projects(String argument) {
    List<String> projects = Arrays.stream(argument.split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList();
    if (projects.isEmpty()) {
      throw new IllegalArgumentException("invalid project \"" + argument + "\": name at least one project");
    }
    return projects;
  }

  private static void serve(Arguments arguments) throws Exception {
    Map<String, String> environment = System.getenv();
    BuilderEndpoint buildkit = arguments.buildkit();
    String token = arguments.token();
    List<String> projects = projects(arguments.project());
    String project = projects.get(0);

    ControlPlane controlPlane = ControlPlane.start(buildkit);
    controlPlane.addToken(token);
    projects.forEach(id -> controlPlane.addProject(id, id));
    DepotAccount.serve(controlPlane, token);
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
