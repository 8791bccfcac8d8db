package dev.depotrunner.runner.progress;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.depotrunner.buildkit.progress.ProgressGroup;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.buildkit.progress.VertexLog;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.progress.VertexWarning;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Writes a {@link SolveStatus} as the JSON that Go's encoding/json makes of BuildKit's
 * {@code client.SolveStatus} (moby/buildkit client/graph.go): the same field names and order,
 * fields left out when empty where Go's {@code omitempty} leaves them out, bytes in base64, times
 * in RFC 3339 with nanoseconds, and {@code <}, {@code >} and {@code &} escaped as Go escapes them.
 */
final class SolveStatusJson {

  private static final JsonFactory FACTORY =
      new JsonFactoryBuilder().characterEscapes(new GoEscapes()).build();

  private SolveStatusJson() {}

  /** Returns one line of JSON, without the line end. */
  static String write(SolveStatus status) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      json.writeStartObject();
      if (!status.vertexes().isEmpty()) {
        json.writeArrayFieldStart("vertexes");
        for (VertexState vertex : status.vertexes()) {
          writeVertex(json, vertex);
        }
        json.writeEndArray();
      }
      if (!status.statuses().isEmpty()) {
        json.writeArrayFieldStart("statuses");
        for (VertexProgress task : status.statuses()) {
          writeTask(json, task);
        }
        json.writeEndArray();
      }
      if (!status.logs().isEmpty()) {
        json.writeArrayFieldStart("logs");
        for (VertexLog log : status.logs()) {
          writeLog(json, log);
        }
        json.writeEndArray();
      }
      if (!status.warnings().isEmpty()) {
        json.writeArrayFieldStart("warnings");
        for (VertexWarning warning : status.warnings()) {
          writeWarning(json, warning);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("failed to write a status batch as JSON", e);
    }
    return text.toString();
  }

  private static void writeVertex(JsonGenerator json, VertexState vertex) throws IOException {
    json.writeStartObject();
    writeStringIfNotEmpty(json, "digest", vertex.digest());
    if (!vertex.inputs().isEmpty()) {
      json.writeArrayFieldStart("inputs");
      for (String input : vertex.inputs()) {
        json.writeString(input);
      }
      json.writeEndArray();
    }
    writeStringIfNotEmpty(json, "name", vertex.name());
    writeTimeIfSet(json, "started", vertex.started());
    writeTimeIfSet(json, "completed", vertex.completed());
    if (vertex.cached()) {
      json.writeBooleanField("cached", true);
    }
    writeStringIfNotEmpty(json, "error", vertex.error());
    ProgressGroup group = vertex.progressGroup();
    if (group != null) {
      json.writeObjectFieldStart("progressGroup");
      writeStringIfNotEmpty(json, "id", group.id());
      writeStringIfNotEmpty(json, "name", group.name());
      if (group.weak()) {
        json.writeBooleanField("weak", true);
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static void writeTask(JsonGenerator json, VertexProgress task) throws IOException {
    json.writeStartObject();
    json.writeStringField("id", task.id());
    writeStringIfNotEmpty(json, "vertex", task.vertex());
    writeStringIfNotEmpty(json, "name", task.name());
    if (task.total() != 0) {
      json.writeNumberField("total", task.total());
    }
    json.writeNumberField("current", task.current());
    json.writeStringField("timestamp", formatTime(task.timestamp()));
    writeTimeIfSet(json, "started", task.started());
    writeTimeIfSet(json, "completed", task.completed());
    json.writeEndObject();
  }

  private static void writeLog(JsonGenerator json, VertexLog log) throws IOException {
    json.writeStartObject();
    writeStringIfNotEmpty(json, "vertex", log.vertex());
    if (log.stream() != 0) {
      json.writeNumberField("stream", log.stream());
    }
    // Go writes a nil byte slice as null, and protobuf leaves an empty bytes field nil.
    if (log.data().length == 0) {
      json.writeNullField("data");
    } else {
      json.writeStringField("data", base64(log.data()));
    }
    json.writeStringField("timestamp", formatTime(log.timestamp()));
    json.writeEndObject();
  }

  private static void writeWarning(JsonGenerator json, VertexWarning warning) throws IOException {
    json.writeStartObject();
    writeStringIfNotEmpty(json, "vertex", warning.vertex());
    if (warning.level() != 0) {
      json.writeNumberField("level", warning.level());
    }
    if (!warning.message().isEmpty()) {
      json.writeStringField("short", base64(warning.message().getBytes(StandardCharsets.UTF_8)));
    }
    if (!warning.detail().isEmpty()) {
      json.writeArrayFieldStart("detail");
      for (String paragraph : warning.detail()) {
        json.writeString(base64(paragraph.getBytes(StandardCharsets.UTF_8)));
      }
      json.writeEndArray();
    }
    writeStringIfNotEmpty(json, "url", warning.url());

    SourceLocation source = warning.source();
    if (source != null) {
      json.writeObjectFieldStart("sourceInfo");
      writeStringIfNotEmpty(json, "filename", source.filename());
      if (source.data().length != 0) {
        json.writeStringField("data", base64(source.data()));
      }
      writeStringIfNotEmpty(json, "language", source.language());
      json.writeEndObject();

      if (!source.ranges().isEmpty()) {
        json.writeArrayFieldStart("range");
        for (SourceLocation.LineRange range : source.ranges()) {
          json.writeStartObject();
          writePosition(json, "start", range.startLine(), range.startCharacter());
          writePosition(json, "end", range.endLine(), range.endCharacter());
          json.writeEndObject();
        }
        json.writeEndArray();
      }
    }
    json.writeEndObject();
  }

  private static void writePosition(JsonGenerator json, String field, int line, int character)
      throws IOException {
    json.writeObjectFieldStart(field);
    if (line != 0) {
      json.writeNumberField("line", line);
    }
    if (character != 0) {
      json.writeNumberField("character", character);
    }
    json.writeEndObject();
  }

  private static void writeStringIfNotEmpty(JsonGenerator json, String field, String value)
      throws IOException {
    if (value != null && !value.isEmpty()) {
      json.writeStringField(field, value);
    }
  }

  private static void writeTimeIfSet(JsonGenerator json, String field, Instant time)
      throws IOException {
    if (time != null) {
      json.writeStringField(field, formatTime(time));
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * Formats a time as Go's {@code time.RFC3339Nano} formats a UTC time: nanoseconds without
   * trailing zeros, and no fraction at all when they are zero.
   */
  static String formatTime(Instant time) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder text =
        new StringBuilder(
            String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d",
                utc.getYear(),
                utc.getMonthValue(),
                utc.getDayOfMonth(),
                utc.getHour(),
                utc.getMinute(),
                utc.getSecond()));
    int nanos = time.getNano();
    if (nanos != 0) {
      String fraction = String.format("%09d", nanos);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      text.append('.').append(fraction, 0, end);
    }
    return text.append('Z').toString();
  }

  /**
   * The escapes Go's encoding/json writes: control characters as {@code \\u00xx} (lowercase hex)
   * except {@code \\b \\f \\n \\r \\t}, and {@code < > &} and U+2028, U+2029 as {@code \\u} escapes
   * so that the output is safe inside HTML.
   */
  private static final class GoEscapes extends CharacterEscapes {

    private final int[] asciiEscapes = CharacterEscapes.standardAsciiEscapesForJSON();

    GoEscapes() {
      for (int c = 0; c < 0x20; c++) {
        if ("\b\f\n\r\t".indexOf(c) < 0) {
          asciiEscapes[c] = ESCAPE_CUSTOM;
        }
      }
      asciiEscapes['<'] = ESCAPE_CUSTOM;
      asciiEscapes['>'] = ESCAPE_CUSTOM;
      asciiEscapes['&'] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029) {
        return new SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }
}
