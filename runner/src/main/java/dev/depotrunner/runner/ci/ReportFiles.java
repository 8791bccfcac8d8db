package dev.depotrunner.runner.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The folder where the GitLab, Jenkins and CircleCI reporters write their report files, which the
 * job then stores as artifacts: {@value #FOLDER_VARIABLE} when set, else {@value #DEFAULT_FOLDER} in
 * the working folder. Every registered secret in a report is replaced with {@code ***}.
 */
final class ReportFiles {

  static final String FOLDER_VARIABLE = "DEPOT_CI_REPORT_DIR";
  static final String DEFAULT_FOLDER = "depot-reports";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path folder;
  private final UnaryOperator<String> redact;

  private ReportFiles(Path folder, UnaryOperator<String> redact) {
    this.folder = folder;
    this.redact = redact;
  }

  static ReportFiles of(CiEnvironment ci, Path workingDirectory, UnaryOperator<String> redact) {
    Path folder = ci.variable(FOLDER_VARIABLE).map(Path::of).orElse(Path.of(DEFAULT_FOLDER));
    return new ReportFiles(workingDirectory.resolve(folder), redact);
  }

  Path folder() {
    return folder;
  }

  Path write(String name, String text) throws CiReportException {
    Path file = folder.resolve(name);
    try {
      Files.createDirectories(folder);
      Files.writeString(file, redact.apply(text), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CiReportException("failed to write the report " + file + ": " + e.getMessage()
          + "; set " + FOLDER_VARIABLE + " to a writable folder", e);
    }
    return file;
  }

  /**
   * Writes {@code json} with secrets redacted in its strings and field names before encoding, because
   * JSON escapes would hide a secret that contains quotes or backslashes from the text's redaction.
   */
  Path writeJson(String name, JsonNode json) throws CiReportException {
    try {
      return write(name, JSON.writeValueAsString(redacted(json)) + "\n");
    } catch (JsonProcessingException e) {
      throw new CiReportException("failed to encode the report " + name + ": " + e.getMessage(), e);
    }
  }

  private JsonNode redacted(JsonNode node) {
    if (node.isTextual()) {
      return TextNode.valueOf(redact.apply(node.textValue()));
    }
    if (node.isArray()) {
      ArrayNode array = JSON.createArrayNode();
      node.forEach(element -> array.add(redacted(element)));
      return array;
    }
    if (node.isObject()) {
      ObjectNode object = JSON.createObjectNode();
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      node.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> field : fields) {
        object.set(redact.apply(field.getKey()), redacted(field.getValue()));
      }
      return object;
    }
    return node;
  }
}
