package dev.depotrunner.runner.cli;

import dev.depotrunner.depotapi.ApiToken;
import dev.depotrunner.depotapi.ConnectClient;
import dev.depotrunner.depotapi.OrganizationService;
import dev.depotrunner.depotapi.UserAgent;
import dev.depotrunner.depotapi.proto.core.v1.ListOrganizationResponse.Organization;
import dev.depotrunner.oidc.DepotLoginConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code depot org}: the organizations the token can use, and the current one, which the Depot
 * CLI keeps under {@code org_id} in its config file ({@code depot/depot.yaml} under the XDG
 * config home) and {@code DEPOT_ORG_ID} overrides.
 */
@Command(name = "org", description = "Manage organizations.")
final class OrgCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return CommandLine.ExitCode.OK;
  }

  /**
   * {@code depot org list}: the organizations as CSV or JSON in the Depot CLI's formats, or an
   * aligned table on a terminal without {@code --output}.
   *
   * <p>NOTE: on a terminal the Depot CLI opens an interactive table; this implementation prints
   * a static one.
   */
  @Command(name = "list", aliases = "ls", description = "List organizations that you can access.")
  static final class ListOrganizations implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(names = "--output", paramLabel = "FORMAT", description = "Non-interactive output format (json, csv).")
    String output;

    private final Invocation invocation;

    ListOrganizations(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
      String format = output == null || output.isBlank()
          ? (invocation.stdoutIsTerminal() ? "table" : "csv")
          : output.toLowerCase(Locale.ROOT);
      if (!format.equals("csv") && !format.equals("json") && !format.equals("table")) {
        throw new ParameterException(spec.commandLine(), "unknown format: " + output + ". Requires csv or json");
      }

      List<List<String>> rows = organizations(spec, invocation).stream()
          .map(organization -> List.of(organization.getOrgId(), organization.getName()))
          .toList();
      PrintStream out = invocation.out();
      switch (format) {
        case "csv" -> Listings.writeCsv(out, List.of("Organization ID", "Name"), rows);
        // The Depot CLI encodes its Go struct, whose fields have no JSON names, so the keys are the field names.
        case "json" -> Listings.writeJson(out, List.of("OrgId", "Name"), rows);
        default -> Listings.writeTable(out, List.of("ORGANIZATION ID", "NAME"), rows);
      }
      return CommandLine.ExitCode.OK;
    }
  }

  /**
   * {@code depot org switch [ORG_ID]}: saves the current organization. Without an ID it picks the
   * only organization the token can use.
   *
   * <p>NOTE: with several organizations the Depot CLI lets the user pick one on a terminal; this
   * implementation asks for the ID instead.
   */
  @Command(name = "switch", description = "Set the current organization in global Depot settings.")
  static final class Switch implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ORG_ID", description = "The organization to make current.")
    String organizationId;

    private final Invocation invocation;

    Switch(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
      String id = organizationId;
      if (id == null || id.isBlank()) {
        id = onlyOrganization();
      }

      DepotLoginConfig.writeOrganization(DepotLoginConfig.location(invocation.environment()), id);
      invocation.out().println("Current organization updated.");
      return CommandLine.ExitCode.OK;
    }

    private String onlyOrganization() throws Exception {
      List<Organization> organizations = organizations(spec, invocation);
      if (organizations.isEmpty()) {
        throw new OrganizationException("no organizations found for this token; check the token with `depot login`");
      }
      if (organizations.size() > 1) {
        throw new ParameterException(spec.commandLine(), "missing organization ID: the token can use "
            + organizations.size() + " organizations, so pass one as the argument (see `depot org list`)");
      }
      return organizations.get(0).getOrgId();
    }
  }

  /** {@code depot org show}: prints the current organization ID, or fails when none is set. */
  @Command(name = "show", description = "Show the current organization.")
  static final class Show implements Callable<Integer> {

    private final Invocation invocation;

    Show(Invocation invocation) {
      this.invocation = invocation;
    }

    @Override
    public Integer call() throws Exception {
      Optional<String> organization = ProjectResolution.organization(invocation.environment());
      if (organization.isEmpty()) {
        invocation.err().println("No organization selected");
        return CommandLine.ExitCode.SOFTWARE;
      }
      invocation.out().println(organization.get());
      return CommandLine.ExitCode.OK;
    }
  }

  private static List<Organization> organizations(CommandSpec spec, Invocation invocation) throws Exception {
    Map<String, String> environment = invocation.environment();
    ApiToken token = ProjectAdministration.requireToken(spec, null, environment);
    ConnectClient client = ConnectClient.fromEnvironment(
        environment, UserAgent.of(DepotCommand.version(), environment.containsKey("CI")));
    return new OrganizationService(client).listOrganizations(token).getOrganizationsList();
  }

  /** A failure of {@code depot org} that is not a usage error. */
  static final class OrganizationException extends Exception {
    OrganizationException(String message) {
      super(message);
    }
  }
}
