package dev.depotrunner.runner.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.depotrunner.buildkit.progress.SourceLocation;
import dev.depotrunner.steps.events.BuildEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A recorded build: build events, each at the local time it arrived, read from a test resource.
 *
 * <p>The resource has one JSON object per line; lines starting with {@code //} are comments. A
 * line {@code {"base": "2026-01-01T10:00:00Z"}} sets the time that values such as {@code "+1.25"}
 * count from, in seconds; such values are allowed in {@code at}, {@code started}, {@code
 * completed} and {@code timestamp}. Each other line has {@code at}, an optional {@code target}
 * (default {@code default}), and one of:
 *
 * <ul>
 *   <li>{@code progress}: a status batch in buildx's rawjson shape; a log may give {@code text}
 *       in place of base64 {@code data}, and a warning {@code message} in place of {@code short}
 *   <li>{@code started}: {@code {"builder": ..., "platforms": [...]}}
 *   <li>{@code notice}: {@code {"level": "INFO", "message": ...}}
 *   <li>{@code failed}: {@code {"message": ..., "vertex": ..., "source": {"filename": ...,
 *       "text": ..., "ranges": [[start, end], ...]}}}
 *   <li>{@code cancelled}, {@code succeeded}: {@code {}} or {@code {"exporterResponse": {...}}}
 *   <li>{@code tick}: {@code true}, the renderer's idle refresh runs
 * </ul>
 */
public final class EventScript {

  /** One step of a script: an event, or an idle refresh when {@code event} is null. */
  public record Step(Instant at, BuildEvent event) {}

  private EventScript() {}

  public static List<Step> load(String resource) {
    try (InputStream in = EventScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("test resource not found: " + resource);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Step> parse(String text) throws IOException {
    List<Step> steps = new ArrayList<>();
    Instant base = Instant.EPOCH;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.stripLeading().startsWith("//")) {
        continue;
      }
      JsonNode node = SolveStatusReader.MAPPER.readTree(line);
      if (node.has("base")) {
        base = Instant.parse(node.get("base").asText());
        continue;
      }
      resolveTimes(node, base);
      steps.add(new Step(Instant.parse(node.get("at").asText()), event(node)));
    }
    return steps;
  }

  /** Replays the steps into a renderer, setting the clock to each step's time, then closes it. */
  static void replay(List<Step> steps, BaseRenderer renderer, ManualClock clock) {
    for (Step step : steps) {
      clock.set(step.at());
      if (step.event() == null) {
        renderer.refreshIfIdle();
      } else {
        renderer.onEvent(step.event());
      }
    }
    renderer.close();
  }

  private static BuildEvent event(JsonNode node) {
    String target = node.path("target").asText("default");
    Instant at = Instant.parse(node.get("at").asText());
    if (node.has("progress")) {
      return new BuildEvent.Progress(target, SolveStatusReader.read(expandText(node.get("progress"))));
    }
    if (node.has("started")) {
      JsonNode started = node.get("started");
      List<String> platforms = new ArrayList<>();
      started.path("platforms").forEach(p -> platforms.add(p.asText()));
      return new BuildEvent.Started(target, started.path("builder").asText(""), platforms, at);
    }
    if (node.has("notice")) {
      JsonNode notice = node.get("notice");
      return new BuildEvent.Notice(
          target, BuildEvent.Level.valueOf(notice.get("level").asText()), notice.get("message").asText());
    }
    if (node.has("failed")) {
      JsonNode failed = node.get("failed");
      return new BuildEvent.Failed(
          target,
          failed.get("message").asText(),
          failed.path("vertex").asText(""),
          source(failed.path("source")),
          at);
    }
    if (node.has("cancelled")) {
      return new BuildEvent.Cancelled(target, at);
    }
    if (node.has("succeeded")) {
      Map<String, String> response =
          SolveStatusReader.MAPPER.convertValue(
              node.get("succeeded").path("exporterResponse"),
              SolveStatusReader.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, String.class));
      return new BuildEvent.Succeeded(target, response == null ? Map.of() : response, at);
    }
    if (node.has("tick")) {
      return null;
    }
    throw new IllegalArgumentException("script line has no event: " + node);
  }

  private static SourceLocation source(JsonNode source) {
    if (source.isMissingNode()) {
      return null;
    }
    List<SourceLocation.LineRange> ranges = new ArrayList<>();
    for (JsonNode range : source.path("ranges")) {
      ranges.add(new SourceLocation.LineRange(range.get(0).asInt(), range.get(1).asInt()));
    }
    return new SourceLocation(
        source.path("filename").asText("Dockerfile"),
        "Dockerfile",
        source.path("text").asText("").getBytes(StandardCharsets.UTF_8),
        ranges);
  }

  private static void resolveTimes(JsonNode node, Instant base) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      List<String> names = new ArrayList<>();
      fields.forEachRemaining(field -> names.add(field.getKey()));
      for (String name : names) {
        JsonNode value = object.get(name);
        if (value.isTextual() && value.asText().startsWith("+") && isTimeField(name)) {
          BigDecimal seconds = new BigDecimal(value.asText().substring(1));
          long nanos = seconds.movePointRight(9).longValueExact();
          object.set(name, new TextNode(base.plusNanos(nanos).toString()));
        } else {
          resolveTimes(value, base);
        }
      }
    } else if (node.isArray()) {
      node.forEach(element -> resolveTimes(element, base));
    }
  }

  private static boolean isTimeField(String name) {
    return name.equals("at") || name.equals("started") || name.equals("completed") || name.equals("timestamp");
  }

  /** Turns the {@code text} and {@code message} shorthands into the base64 fields buildx writes. */
  private static JsonNode expandText(JsonNode progress) {
    for (JsonNode log : progress.path("logs")) {
      if (log.has("text")) {
        ((ObjectNode) log).put("data", base64(log.get("text").asText()));
      }
    }
    for (JsonNode warning : progress.path("warnings")) {
      if (warning.has("message")) {
        ((ObjectNode) warning).put("short", base64(warning.get("message").asText()));
      }
      if (warning.has("sourceInfo") && warning.get("sourceInfo").has("text")) {
        ObjectNode info = (ObjectNode) warning.get("sourceInfo");
        info.put("data", base64(info.get("text").asText()));
      }
    }
    return progress;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
