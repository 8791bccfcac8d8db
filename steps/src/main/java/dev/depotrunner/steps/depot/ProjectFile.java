package dev.depotrunner.steps.depot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The file that ties a folder to a Depot project: {@code depot.json} with {@code {"id": "<project id>"}},
 * or {@code depot.yml} / {@code depot.yaml} with {@code id: <project id>}. A build finds it in its context
 * folder or the nearest folder above, looking for the three names in that order in each folder, as the
 * Depot CLI does. {@code depot init} writes {@code depot.json}.
 */
public final class ProjectFile {

  public static final String FILE_NAME = "depot.json";

  /** The names looked for in each folder, in the Depot CLI's order. */
  static final List<String> FILE_NAMES = List.of(FILE_NAME, "depot.yml", "depot.yaml");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A project id and the file it came from.
   *
   * @param projectId the project id
   * @param file the depot.json it was read from
   */
  public record Found(String projectId, Path file) {}

  private ProjectFile() {}

  /**
   * Returns the project of the nearest project file in {@code start} or a folder above it, or empty when
   * there is none.
   *
   * @throws IOException if the nearest file cannot be read, is not JSON, or has no {@code id}; the
   *     message names the file
   */
  public static Optional<Found> find(Path start) throws IOException {
    for (Path folder = start.toAbsolutePath().normalize(); folder != null; folder = folder.getParent()) {
      for (String name : FILE_NAMES) {
        Path file = folder.resolve(name);
        if (Files.isRegularFile(file)) {
          return Optional.of(new Found(read(file), file));
        }
      }
    }
    return Optional.empty();
  }

  /** Reads the project id from a project file, as JSON or, for the YAML names, as YAML. */
  static String read(Path file) throws IOException {
    if (!file.getFileName().toString().equals(FILE_NAME)) {
      return readYaml(file);
    }
    JsonNode config;
    try {
      config = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException("invalid " + file + ": it is not JSON (" + e.getOriginalMessage()
          + "); write it as {\"id\": \"<project id>\"} or run depot init", e);
    }
    JsonNode id = config == null ? null : config.get("id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw new IOException("invalid " + file + ": the \"id\" field with the project ID is missing;"
          + " write it as {\"id\": \"<project id>\"} or run depot init");
    }
    return id.asText().strip();
  }

  private static String readYaml(Path file) throws IOException {
    Object config;
    try {
      config = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    } catch (YAMLException e) {
      throw new IOException("invalid " + file + ": it is not YAML (" + e.getMessage().lines().findFirst().orElse("")
          + "); write it as id: <project id> or run depot init", e);
    }
    Object id = config instanceof Map<?, ?> map ? map.get("id") : null;
    if (id == null || String.valueOf(id).isBlank() || id instanceof Map || id instanceof List) {
      throw new IOException("invalid " + file + ": the id field with the project ID is missing;"
          + " write it as id: <project id> or run depot init");
    }
    return String.valueOf(id).strip();
  }

  /**
   * Writes {@code depot.json} with {@code projectId} into {@code folder}, replacing an existing one, and
   * returns its path.
   */
  public static Path write(Path folder, String projectId) throws IOException {
    if (projectId == null || projectId.isBlank()) {
      throw new IllegalArgumentException("invalid project ID: it is empty");
    }
    ObjectNode config = JSON.createObjectNode().put("id", projectId.strip());
    Path file = folder.resolve(FILE_NAME);
    Files.writeString(file, JSON.writeValueAsString(config) + "\n");
    return file;
  }
}
