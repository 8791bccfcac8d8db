package dev.depotrunner.runner.ci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Build-check warnings as a GitLab Code Quality report: a JSON array of issues with {@code
 * description}, {@code check_name}, {@code fingerprint}, {@code severity} and {@code location}.
 *
 * @see <a href="https://docs.gitlab.com/ci/testing/code_quality/">GitLab Code Quality</a>
 */
final class CodeQualityReport {

  private CodeQualityReport() {}

  /**
   * Returns the report for the warnings that point at a file. Warnings without a file are left out,
   * because GitLab requires a location; the summary lists them.
   */
  static ArrayNode of(List<Finding> warnings) {
    ArrayNode issues = ReportFiles.JSON.createArrayNode();
    for (Finding warning : warnings) {
      if (warning.path().isEmpty()) {
        continue;
      }
      ObjectNode issue = issues.addObject();
      issue.put("description", warning.message());
      issue.put("check_name", warning.check());
      issue.put("fingerprint", fingerprint(warning));
      issue.put("severity", "minor");
      ObjectNode location = issue.putObject("location");
      location.put("path", warning.path());
      location.putObject("lines").put("begin", Math.max(1, warning.startLine()));
    }
    return issues;
  }

  /** Returns a SHA-256 over what identifies the issue, so the same warning keeps its id between pipelines. */
  static String fingerprint(Finding warning) {
    String identity = String.join("\u0000", warning.target(), warning.check(), warning.path(),
        Integer.toString(warning.startLine()), warning.message());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
