package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.ProjectsService;
import dev.depotrunner.depotapi.UserAgent;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code depot projects}: the Depot projects the token can use. */
@Command(name = "projects", description = "Create or display Depot project information.")
final class ProjectsCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return CommandLine.ExitCode.OK;
  }

  /**
   * {@code depot projects list}: prints the projects as CSV or JSON, in the Depot CLI's formats.
   * Without {@code --output} it prints CSV when stdout is no terminal, as the Depot CLI does. On a
   * terminal it browses the projects, and enter on one browses its builds. Where the terminal
   * cannot browse ({@code TERM=dumb}, no {@code /dev/tty}, stdin redirected) it prints an aligned
   * table.
   */
  @Command(name = "list", aliases = "ls", description = "List depot projects.")
  static final class ListProjects implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN).")
    String token;

    @Option(names = "--output", paramLabel = "FORMAT", description = "Non-interactive output format (json, csv).")
    String output;

    private final Invocation invocation;
    private final Clock clock;

    ListProjects(Invocation invocation, Clock clock) {
      this.invocation = invocation;
      this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
      Map<String, String> environment = invocation.environment();
      ApiToken apiToken = ProjectResolution.token(token, environment).map(ApiToken::of)
          .orElseThrow(() -> new ParameterException(spec.commandLine(),
              "missing API token, please run `depot login` or set DEPOT_TOKEN"));
      String format = output == null || output.isBlank()
          ? (invocation.stdoutIsTerminal() ? "table" : "csv")
          : output.toLowerCase(Locale.ROOT);
      if (!format.equals("csv") && !format.equals("json") && !format.equals("table")) {
        throw new ParameterException(spec.commandLine(),
            "unknown format: " + output + ". Requires csv or json");
      }

      ConnectClient client = ConnectClient.fromEnvironment(
          environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI")));
      List<List<String>> rows = new ProjectsService(client).listProjects(apiToken)
          .getProjectsList().stream()
          .map(project -> List.of(project.getId(), project.getName()))
          .toList();
      PrintStream out = invocation.out();
      switch (format) {
        case "csv" -> Listings.writeCsv(out, List.of("Project ID", "Name"), rows);
        case "json" -> Listings.writeJson(out, List.of("id", "name"), rows);
        default -> {
          if (ListingBrowser.supported(invocation)) {
            ListingBrowser.browseProjects(out, rows,
                projectId -> ListCommand.tableRows(ListCommand.listBuilds(client, apiToken, projectId), clock.instant()));
          } else {
            Listings.writeTable(out, ListingBrowser.PROJECT_HEADER, rows);
          }
        }
      }
      return CommandLine.ExitCode.OK;
    }
  }
}
