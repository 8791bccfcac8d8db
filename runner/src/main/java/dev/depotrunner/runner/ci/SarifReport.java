package dev.depotrunner.runner.ci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warnings and errors as a SARIF 2.1.0 log with one run, which Jenkins' Warnings Next Generation
 * plugin reads with its {@code sarif} parser.
 *
 * @see <a href="https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html">SARIF 2.1.0</a>
 */
final class SarifReport {

  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private SarifReport() {}

  static ObjectNode of(List<Finding> findings) {
    ObjectNode log = ReportFiles.JSON.createObjectNode();
    log.put("$schema", SCHEMA);
    log.put("version", "2.1.0");
    ObjectNode run = log.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "depot-runner");
    driver.put("informationUri", "https://docs.docker.com/reference/build-checks/");

    Map<String, Finding> rules = new LinkedHashMap<>();
    for (Finding finding : findings) {
      rules.putIfAbsent(ruleId(finding), finding);
    }
    ArrayNode ruleNodes = driver.putArray("rules");
    for (var rule : rules.entrySet()) {
      ObjectNode node = ruleNodes.addObject();
      node.put("id", rule.getKey());
      node.putObject("shortDescription").put("text", rule.getValue().check());
      if (!rule.getValue().url().isEmpty()) {
        node.put("helpUri", rule.getValue().url());
      }
    }

    ArrayNode results = run.putArray("results");
    for (Finding finding : findings) {
      ObjectNode result = results.addObject();
      result.put("ruleId", ruleId(finding));
      result.put("level", finding.severity() == Finding.Severity.ERROR ? "error" : "warning");
      String prefix = finding.target().equals("default") ? "" : finding.target() + ": ";
      result.putObject("message").put("text", prefix + finding.message());
      if (!finding.path().isEmpty()) {
        ObjectNode physical = result.putArray("locations").addObject().putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", finding.path());
        if (finding.startLine() > 0) {
          ObjectNode region = physical.putObject("region");
          region.put("startLine", finding.startLine());
          region.put("endLine", finding.endLine());
        }
      }
    }
    return log;
  }

  /** Returns the rule id: the build check's name, or {@code build-failed} for a failure. */
  private static String ruleId(Finding finding) {
    return finding.severity() == Finding.Severity.ERROR ? "build-failed" : finding.check();
  }
}
