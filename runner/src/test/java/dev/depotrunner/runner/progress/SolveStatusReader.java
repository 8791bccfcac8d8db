package dev.depotrunner.runner.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a status batch from the JSON that docker buildx's {@code --progress=rawjson} writes, so
 * that tests can replay recorded builds and check the JSON writer against it.
 */
final class SolveStatusReader {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private SolveStatusReader() {}

  static SolveStatus read(String json) {
    try {
      return read(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SolveStatus read(JsonNode node) {
    List<VertexState> vertexes = new ArrayList<>();
    for (JsonNode vertex : node.path("vertexes")) {
      List<String> inputs = new ArrayList<>();
      vertex.path("inputs").forEach(input -> inputs.add(input.asText()));
      ProgressGroup group = null;
      if (vertex.has("progressGroup")) {
        JsonNode g = vertex.get("progressGroup");
        group = new ProgressGroup(g.path("id").asText(""), g.path("name").asText(""), g.path("weak").asBoolean(false));
      }
      vertexes.add(
          new VertexState(
              vertex.path("digest").asText(""),
              inputs,
              vertex.path("name").asText(""),
              vertex.path("cached").asBoolean(false),
              time(vertex, "started"),
              time(vertex, "completed"),
              vertex.path("error").asText(""),
              group));
    }

    List<VertexProgress> statuses = new ArrayList<>();
    for (JsonNode status : node.path("statuses")) {
      statuses.add(
          new VertexProgress(
              status.path("id").asText(""),
              status.path("vertex").asText(""),
              status.path("name").asText(""),
              status.path("current").asLong(0),
              status.path("total").asLong(0),
              requiredTime(status, "timestamp"),
              time(status, "started"),
              time(status, "completed")));
    }

    List<VertexLog> logs = new ArrayList<>();
    for (JsonNode log : node.path("logs")) {
      logs.add(
          new VertexLog(
              log.path("vertex").asText(""),
              requiredTime(log, "timestamp"),
              log.path("stream").asInt(0),
              bytes(log.path("data"))));
    }

    List<VertexWarning> warnings = new ArrayList<>();
    for (JsonNode warning : node.path("warnings")) {
      List<String> detail = new ArrayList<>();
      warning.path("detail").forEach(d -> detail.add(new String(bytes(d), StandardCharsets.UTF_8)));
      SourceLocation source = null;
      if (warning.has("sourceInfo")) {
        JsonNode info = warning.get("sourceInfo");
        List<SourceLocation.LineRange> ranges = new ArrayList<>();
        for (JsonNode range : warning.path("range")) {
          ranges.add(
              new SourceLocation.LineRange(
                  range.path("start").path("line").asInt(0),
                  range.path("end").path("line").asInt(0),
                  range.path("start").path("character").asInt(0),
                  range.path("end").path("character").asInt(0)));
        }
        source =
            new SourceLocation(
                info.path("filename").asText(""),
                info.path("language").asText(""),
                bytes(info.path("data")),
                ranges);
      }
      warnings.add(
          new VertexWarning(
              warning.path("vertex").asText(""),
              warning.path("level").asInt(0),
              new String(bytes(warning.path("short")), StandardCharsets.UTF_8),
              detail,
              warning.path("url").asText(""),
              source));
    }
    return new SolveStatus(vertexes, statuses, logs, warnings);
  }

  private static Instant time(JsonNode node, String field) {
    return node.has(field) ? Instant.parse(node.get(field).asText()) : null;
  }

  private static Instant requiredTime(JsonNode node, String field) {
    Instant time = time(node, field);
    return time == null ? Instant.EPOCH : time;
  }

  private static byte[] bytes(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return new byte[0];
    }
    return Base64.getDecoder().decode(node.asText());
  }
}
