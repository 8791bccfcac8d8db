package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.BuildService;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.depotapi.proto.cli.v1.Build;
import dev.depotrunner.depotapi.proto.cli.v1.BuildStatus;
import dev.depotrunner.depotapi.proto.cli.v1.ListBuildsRequest;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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

/** {@code depot list}: projects and builds. */
@Command(name = "list", aliases = "ls", description = "List projects and builds.")
final class ListCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return CommandLine.ExitCode.OK;
  }

  /**
   * {@code depot list builds}: the builds of a project, from one ListBuilds call, as CSV or JSON in
   * the Depot CLI's formats. Without {@code --output} it prints CSV when stdout is no terminal.
   * On a terminal it browses the builds, or prints an aligned table where the terminal cannot
   * browse.
   */
  @Command(name = "builds", aliases = "b", description = "List builds for a project.")
  static final class Builds implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--project", paramLabel = "ID", description = "Depot project ID (default: $DEPOT_PROJECT_ID or depot.json).")
    String project;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN or depot login).")
    String token;

    @Option(names = "--output", paramLabel = "FORMAT", description = "Non-interactive output format (json, csv).")
    String output;

    private final Invocation invocation;
    private final Clock clock;

    Builds(Invocation invocation, Clock clock) {
      this.invocation = invocation;
      this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
      Map<String, String> environment = invocation.environment();
      String projectId = ProjectResolution.projectId(project, environment, invocation.workingDirectory())
          .orElseThrow(() -> new ParameterException(spec.commandLine(),
              "unknown project ID (run `depot init` or use --project or $DEPOT_PROJECT_ID)"));
      ApiToken apiToken = ProjectAdministration.requireToken(spec, token, environment);
      String format = output == null || output.isBlank()
          ? (invocation.stdoutIsTerminal() ? "table" : "csv")
          : output.toLowerCase(Locale.ROOT);
      if (!format.equals("csv") && !format.equals("json") && !format.equals("table")) {
        throw new ParameterException(spec.commandLine(), "unknown format: " + output + ". Requires csv or json");
      }

      ConnectClient client = ConnectClient.fromEnvironment(
          environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI")));
      List<Build> builds = listBuilds(client, apiToken, projectId);
      if (format.equals("table") && ListingBrowser.supported(invocation)) {
        ListingBrowser.browseBuilds(invocation.out(), projectId, tableRows(builds, clock.instant()));
      } else {
        write(invocation.out(), format, builds, clock.instant());
      }
      return CommandLine.ExitCode.OK;
    }
  }

  static List<Build> listBuilds(ConnectClient client, ApiToken apiToken, String projectId)
      throws DepotApiException, InterruptedException {
    return new BuildService(client)
        .listBuilds(ListBuildsRequest.newBuilder().setProjectId(projectId).build(), apiToken)
        .getBuildsList();
  }

  /** Returns the builds as the text cells of the table and the browser. */
  static List<List<String>> tableRows(List<Build> builds, Instant now) {
    return builds.stream().map(build -> row(build, now).stream().map(String::valueOf).toList()).toList();
  }

  /**
   * Writes the builds as the Depot CLI does: status in lowercase without its {@code BUILD_STATUS_}
   * prefix, start in RFC 3339 UTC to the second, and duration in whole seconds up to {@code now}
   * for a build that has not finished.
   */
  static void write(PrintStream out, String format, List<Build> builds, Instant now) {
    List<List<Object>> rows = builds.stream().map(build -> row(build, now)).toList();
    switch (format) {
      case "csv" -> Listings.writeCsv(out, List.of("Build ID", "Status", "Started", "Duration (s)"),
          rows.stream().map(row -> row.stream().map(String::valueOf).toList()).toList());
      case "json" -> Listings.writeJsonValues(out, List.of("id", "status", "startTime", "duration"), rows);
      default -> Listings.writeTable(out, ListingBrowser.BUILD_HEADER, tableRows(builds, now));
    }
  }

  private static List<Object> row(Build build, Instant now) {
    Instant created = build.hasCreatedAt() ? instant(build.getCreatedAt()) : now;
    Instant finished = build.hasFinishedAt() ? instant(build.getFinishedAt()) : now;
    long duration = Duration.between(created, finished).getSeconds();
    if (duration < 0 && Duration.between(created, finished).getNano() > 0) {
      // Go's int(Duration.Seconds()) truncates toward zero, and getSeconds() rounds down.
      duration++;
    }
    return List.of(build.getId(), status(build), DateTimeFormatter.ISO_INSTANT.format(created.truncatedTo(ChronoUnit.SECONDS)),
        duration);
  }

  private static String status(Build build) {
    BuildStatus status = BuildStatus.forNumber(build.getStatusValue());
    if (status == null) {
      return Integer.toString(build.getStatusValue());
    }
    return status.name().replaceFirst("^BUILD_STATUS_", "").toLowerCase(Locale.ROOT);
  }

  private static Instant instant(com.google.protobuf.Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
