package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.DepotApiException;
import dev.depotrunner.depotapi.ProjectsService;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.depotapi.proto.cli.v1beta1.ListProjectsResponse;
import dev.depotrunner.steps.depot.ProjectFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code depot init [--project ID] [--force] [DIR]}: writes the {@code depot.json} that names the Depot
 * project of a folder. Without {@code --project} it lists the token's projects and prompts for a choice,
 * which needs a terminal.
 */
@Command(
    name = "init",
    description = "Create a depot.json that names the Depot project of a folder.",
    sortOptions = true)
final class InitCommand implements Callable<Integer> {

  /** How many invalid answers the prompt accepts before it gives up. */
  private static final int MAX_PROMPT_ATTEMPTS = 3;

  private final Invocation invocation;

  InitCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Folder to write depot.json into (default: the current folder).")
  String directory;

  @Option(names = "--project", paramLabel = "ID", description = "ID of the project to write; required when not on a terminal.")
  String project;

  @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token to list projects with (default: $DEPOT_TOKEN).")
  String token;

  @Option(names = "--force", description = "Overwrite an existing depot.json.")
  boolean force;

  @Override
  public Integer call() throws IOException, DepotApiException, InterruptedException {
    PrintStream err = invocation.err();
    Path folder = invocation.workingDirectory().resolve(directory == null ? "." : directory).normalize();

    Optional<ProjectFile.Found> existing = findExisting(folder);
    if (existing.isPresent() && !force) {
      err.println("error: " + existing.get().file() + " already exists; run depot init --force to overwrite it");
      return 1;
    }
    Path target = existing.map(found -> found.file().getParent()).orElse(folder);

    String projectId = project;
    if (projectId == null || projectId.isBlank()) {
      // NOTE: on Java 17 stdoutIsTerminal is true only when stdin is a terminal as well; see Invocation.
      if (!invocation.stdoutIsTerminal()) {
        err.println("error: --project is required when stdin is not a terminal: run depot init --project ID");
        return 1;
      }
      Optional<String> chosen = chooseProject();
      if (chosen.isEmpty()) {
        return 1;
      }
      projectId = chosen.get();
    }

    Path file = ProjectFile.write(target, projectId);
    invocation.out().println("Wrote " + file + " for project " + projectId.strip());
    return 0;
  }

  /** Returns the nearest depot.json, or empty when there is none or it cannot be parsed, so it is replaced. */
  private static Optional<ProjectFile.Found> findExisting(Path folder) {
    try {
      return ProjectFile.find(folder);
    } catch (IOException unreadable) {
      return Optional.of(new ProjectFile.Found("", folder.resolve(ProjectFile.FILE_NAME)));
    }
  }

  private Optional<String> chooseProject() throws DepotApiException, InterruptedException, IOException {
    PrintStream err = invocation.err();
    String tokenValue = token != null ? token : invocation.environment().getOrDefault("DEPOT_TOKEN", "");
    if (tokenValue.isBlank()) {
      err.println("error: missing Depot token: pass --token or set DEPOT_TOKEN, or pass --project ID");
      return Optional.empty();
    }

    ConnectClient client = ConnectClient.fromEnvironment(
        invocation.environment(), UserAgent.of(DepotCommand.version(), false));
    List<ListProjectsResponse.Project> projects =
        new ProjectsService(client).listProjects(ApiToken.of(tokenValue)).getProjectsList();
    if (projects.isEmpty()) {
      err.println("error: the token has access to no Depot project: create one in Depot, then run depot init again");
      return Optional.empty();
    }

    PrintStream out = invocation.out();
    for (int index = 0; index < projects.size(); index++) {
      ListProjectsResponse.Project candidate = projects.get(index);
      out.println((index + 1) + ") " + candidate.getName() + " (" + candidate.getId() + ", " + candidate.getOrgName() + ")");
    }

    var reader = new BufferedReader(new InputStreamReader(invocation.stdin(), StandardCharsets.UTF_8));
    for (int attempt = 0; attempt < MAX_PROMPT_ATTEMPTS; attempt++) {
      out.print("Choose a project [1-" + projects.size() + "]: ");
      out.flush();
      String line = reader.readLine();
      if (line == null) {
        break;
      }
      try {
        int choice = Integer.parseInt(line.strip());
        if (choice >= 1 && choice <= projects.size()) {
          return Optional.of(projects.get(choice - 1).getId());
        }
      } catch (NumberFormatException notANumber) {
        // Reported below like an out-of-range number.
      }
      out.println("invalid choice \"" + line.strip() + "\": enter a number from 1 to " + projects.size());
    }
    err.println("error: no project chosen: run depot init again, or pass --project ID");
    return Optional.empty();
  }
}
