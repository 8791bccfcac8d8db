package dev.depotrunner.steps.depot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code depot.json} file that ties a folder to a Depot project: {@code {"id": "<project id>"}}. A
 * build finds it in its context folder or the nearest folder above; {@code depot init} writes it.
 *
 * <p>NOTE: the Depot CLI also reads {@code depot.yml} and {@code depot.yaml}; only {@code depot.json} is
 * read here.
 */
public final class ProjectFile {

  public static final String FILE_NAME = "depot.json";

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
   * Returns the project of the nearest {@code depot.json} in {@code start} or a folder above it, or empty
   * when there is none.
   *
   * @throws IOException if the nearest file cannot be read, is not JSON, or has no {@code id}; the
   *     message names the file
   */
  public static Optional<Found> find(Path start) throws IOException {
    for (Path folder = start.toAbsolutePath().normalize(); folder != null; folder = folder.getParent()) {
      Path file = folder.resolve(FILE_NAME);
      if (Files.isRegularFile(file)) {
        return Optional.of(new Found(read(file), file));
      }
    }
    return Optional.empty();
  }

  /** Reads the project id from a {@code depot.json}. */
  static String read(Path file) throws IOException {
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
