package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.ProjectService;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.depotapi.proto.core.v1.CachePolicy;
import dev.depotrunner.depotapi.proto.core.v1.CreateProjectRequest;
import dev.depotrunner.depotapi.proto.core.v1.Project;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code depot projects create} and {@code depot projects delete}, through Depot's core ProjectService. */
final class ProjectAdministration {

  private static final long BYTES_PER_GIGABYTE = 1024L * 1024 * 1024;

  private ProjectAdministration() {}

  /**
   * {@code depot projects create NAME}: creates a project and prints it as one line of JSON, in
   * the Depot CLI's format.
   */
  @Command(name = "create", aliases = "c", description = "Create depot project.")
  static final class Create implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The project's name.")
    String nameArgument;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "The project's name, instead of the argument.")
    String name;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN or depot login).")
    String token;

    @Option(names = {"-o", "--organization"}, paramLabel = "ID",
        description = "Depot organization ID (default: $DEPOT_ORG_ID or the one depot org switch saved).")
    String organization;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
        description = "Region where build data is stored (default: us-east-1).")
    String region;

    @Option(names = "--cache-storage-policy", paramLabel = "GB", defaultValue = "50",
        description = "Build cache to keep per architecture, in GB (default: 50).")
    long keepGigabytes;

    @Option(names = "--cache-policy-keep-days", paramLabel = "DAYS", defaultValue = "14",
        description = "Build cache retention in days; 0 means no limit (default: 14).")
    int keepDays;

    private final Invocation invocation;

    Create(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
      Map<String, String> environment = invocation.environment();
      CreateProjectRequest request = validate(environment);
      ApiToken apiToken = requireToken(spec, token, environment);

      Project project = service(environment).createProject(request, apiToken).getProject();
      invocation.out().println(createdJson(project));
      return CommandLine.ExitCode.OK;
    }

    private CreateProjectRequest validate(Map<String, String> environment) throws Exception {
      String projectName = name != null && !name.isBlank() ? name : nameArgument;
      if (projectName == null || projectName.isBlank()) {
        throw new ParameterException(spec.commandLine(),
            "missing project name: pass it as the argument or with --name");
      }
      if (keepDays < 0) {
        throw new ParameterException(spec.commandLine(), "--cache-policy-keep-days cannot be negative");
      }
      if (keepGigabytes < 0 || keepGigabytes > Long.MAX_VALUE / BYTES_PER_GIGABYTE) {
        throw new ParameterException(spec.commandLine(),
            "invalid --cache-storage-policy " + keepGigabytes + ": expected a size in GB from 0");
      }

      CreateProjectRequest.Builder request = CreateProjectRequest.newBuilder()
          .setName(projectName)
          .setRegionId(region)
          .setCachePolicy(CachePolicy.newBuilder()
              .setKeepBytes(keepGigabytes * BYTES_PER_GIGABYTE)
              .setKeepDays(keepDays));
      String organizationId = organization != null
          ? organization
          : ProjectResolution.organization(environment).orElse("");
      if (!organizationId.isBlank()) {
        request.setOrganizationId(organizationId);
      }
      return request.build();
    }
  }

  /** {@code depot projects delete --project-id ID}: deletes a project after confirmation. */
  @Command(name = "delete", aliases = "d", description = "Delete a project.")
  static final class Delete implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = {"-t", "--token"}, paramLabel = "TOKEN", description = "Depot API token (default: $DEPOT_TOKEN or depot login).")
    String token;

    @Option(names = {"-p", "--project-id"}, paramLabel = "ID", description = "The ID of the project to delete.")
    String projectId;

    @Option(names = {"-y", "--yes"}, description = "Confirm deletion without asking.")
    boolean yes;

    private final Invocation invocation;

    Delete(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
      Map<String, String> environment = invocation.environment();
      ApiToken apiToken = requireToken(spec, token, environment);
      if (projectId == null || projectId.isBlank()) {
        // NOTE: the Depot CLI then lets the user pick the project on a terminal; this
        // implementation requires the ID.
        throw new ParameterException(spec.commandLine(),
            "missing project ID: pass the project to delete with --project-id");
      }
      if (!yes && !invocation.stdoutIsTerminal()) {
        throw new ParameterException(spec.commandLine(), "deleting project " + projectId
            + " needs confirmation, but there is no terminal to ask on: pass --yes to confirm");
      }
      if (!yes && !confirmed()) {
        invocation.out().println("Cancelling project deletion...");
        return CommandLine.ExitCode.OK;
      }

      service(environment).deleteProject(projectId, apiToken);
      invocation.out().println("Successfully deleted project " + projectId);
      return CommandLine.ExitCode.OK;
    }

    private boolean confirmed() throws java.io.IOException {
      invocation.err().print("Are you sure you want to delete project " + projectId + "? [y/N] ");
      invocation.err().flush();
      String answer = new BufferedReader(new InputStreamReader(invocation.stdin(), StandardCharsets.UTF_8)).readLine();
      return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Returns the project as the Depot CLI prints a created one: Go's encoding/json of the project
   * ID, name and cache policy, with empty fields left out as its {@code omitempty} tags do.
   */
  static String createdJson(Project project) {
    List<String> fields = new ArrayList<>();
    if (!project.getProjectId().isEmpty()) {
      fields.add("\"project_id\":" + Listings.jsonString(project.getProjectId()));
    }
    if (!project.getName().isEmpty()) {
      fields.add("\"name\":" + Listings.jsonString(project.getName()));
    }
    if (project.hasCachePolicy()) {
      CachePolicy policy = project.getCachePolicy();
      List<String> policyFields = new ArrayList<>();
      if (policy.hasKeepBytes()) {
        policyFields.add("\"keep_bytes\":" + policy.getKeepBytes());
      }
      if (policy.getKeepDays() != 0) {
        policyFields.add("\"keep_days\":" + policy.getKeepDays());
      }
      if (policy.getKeepGb() != 0) {
        policyFields.add("\"keep_gb\":" + policy.getKeepGb());
      }
      fields.add("\"cache_policy\":{" + String.join(",", policyFields) + "}");
    }
    return "{" + String.join(",", fields) + "}";
  }

  static ApiToken requireToken(CommandSpec spec, String flag, Map<String, String> environment) throws Exception {
    return ProjectResolution.tokenOrLogin(flag, environment).map(ApiToken::of)
        .orElseThrow(() -> new ParameterException(spec.commandLine(),
            "missing API token, please run `depot login` or set DEPOT_TOKEN"));
  }

  private static ProjectService service(Map<String, String> environment) {
    return new ProjectService(ConnectClient.fromEnvironment(
        environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI"))));
  }
}
