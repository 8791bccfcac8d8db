package dev.depotrunner.runner.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder where the GitLab, Jenkins and CircleCI reporters write their report files, which the
 * job then stores as artifacts: {@value #FOLDER_VARIABLE} when set, else {@value #DEFAULT_FOLDER} in
 * the working folder.
 */
final class ReportFiles {

  static final String FOLDER_VARIABLE = "DEPOT_CI_REPORT_DIR";
  static final String DEFAULT_FOLDER = "depot-reports";

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path folder;

  private ReportFiles(Path folder) {
    this.folder = folder;
  }

  static ReportFiles of(CiEnvironment ci, Path workingDirectory) {
    Path folder = ci.variable(FOLDER_VARIABLE).map(Path::of).orElse(Path.of(DEFAULT_FOLDER));
    return new ReportFiles(workingDirectory.resolve(folder));
  }

  Path folder() {
    return folder;
  }

  Path write(String name, String text) throws CiReportException {
    Path file = folder.resolve(name);
    try {
      Files.createDirectories(folder);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CiReportException("failed to write the report " + file + ": " + e.getMessage()
          + "; set " + FOLDER_VARIABLE + " to a writable folder", e);
    }
    return file;
  }

  Path writeJson(String name, JsonNode json) throws CiReportException {
    try {
      return write(name, JSON.writeValueAsString(json) + "\n");
    } catch (JsonProcessingException e) {
      throw new CiReportException("failed to encode the report " + name + ": " + e.getMessage(), e);
    }
  }
}
