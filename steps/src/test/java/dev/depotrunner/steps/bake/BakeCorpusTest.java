package dev.depotrunner.steps.bake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks that {@code depot bake --print} resolves every corpus case to the targets {@code docker buildx
 * bake --print} (v0.29.1) recorded in the case's {@code expected.json}, field by field and in the same
 * field order. {@code record.sh} beside the cases records them again.
 */
class BakeCorpusTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> cases() throws IOException, URISyntaxException {
    try (Stream<Path> folders = Files.list(corpus())) {
      return folders.filter(Files::isDirectory).map(folder -> folder.getFileName().toString()).sorted().toList().stream();
    }
  }

  private static Path corpus() throws URISyntaxException {
    return Path.of(BakeCorpusTest.class.getResource("/bake/corpus").toURI());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void printMatchesBuildx(String name) throws Exception {
    Path folder = corpus().resolve(name);
    JsonNode expected = JSON.readTree(folder.resolve("expected.json").toFile());
    String printed = BakeDefinitions.resolve(request(folder)).toJson();
    JsonNode actual = JSON.readTree(printed);

    assertEquals(expected.path("group"), actual.path("group"), name + ": groups");
    assertEquals(names(expected.path("target")), names(actual.path("target")), name + ": target names");
    for (String target : names(expected.path("target"))) {
      ObjectNode expectedTarget = (ObjectNode) expected.path("target").path(target);
      ObjectNode actualTarget = ((ObjectNode) actual.path("target").path(target)).deepCopy();
      // buildx has no project_id; Depot's CLI adds it from x-depot.project-id, and so does depot bake.
      actualTarget.remove("project_id");
      // Compose keeps ulimits in a Go map, whose order buildx does not fix; compare them as sets.
      sortArray(expectedTarget, "ulimits");
      sortArray(actualTarget, "ulimits");

      assertEquals(names(expectedTarget), names(actualTarget), name + ": fields of target " + target);
      for (String field : names(expectedTarget)) {
        assertEquals(expectedTarget.get(field), actualTarget.get(field), name + ": " + target + "." + field);
      }
    }
    assertEquals(expected, withoutProjectIds(actual), name + ": whole definition");
    assertTrue(printed.endsWith("}\n"), name + ": printed JSON ends with a newline");
  }

  private static JsonNode withoutProjectIds(JsonNode definition) {
    ObjectNode copy = definition.deepCopy();
    copy.path("target").forEach(target -> {
      ((ObjectNode) target).remove("project_id");
      sortArray((ObjectNode) target, "ulimits");
    });
    return copy;
  }

  private static void sortArray(ObjectNode target, String field) {
    JsonNode values = target.get(field);
    if (values == null) {
      return;
    }
    List<String> sorted = new ArrayList<>();
    values.forEach(value -> sorted.add(value.asText()));
    sorted.sort(null);
    var array = target.putArray(field);
    sorted.forEach(array::add);
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> iterator = object.fieldNames(); iterator.hasNext(); ) {
      names.add(iterator.next());
    }
    return names;
  }

  /** Turns the case's command and environment files into a request, as record.sh passes them to buildx. */
  static BakeRequest request(Path folder) throws IOException {
    List<String> arguments = Files.exists(folder.resolve("command")) ? Files.readAllLines(folder.resolve("command")) : List.of();
    Map<String, String> environment = new HashMap<>();
    environment.put("HOME", "/corpus-home");
    if (Files.exists(folder.resolve("environment"))) {
      for (String line : Files.readAllLines(folder.resolve("environment"))) {
        int equals = line.indexOf('=');
        if (equals > 0) {
          environment.put(line.substring(0, equals), line.substring(equals + 1));
        }
      }
    }

    List<String> files = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    List<String> overrides = new ArrayList<>();
    boolean push = false;
    boolean load = false;
    Boolean noCache = null;
    Boolean pull = null;
    String provenance = "";
    String sbom = "";
    for (int index = 0; index < arguments.size(); index++) {
      String argument = arguments.get(index);
      String flag = argument.contains("=") && argument.startsWith("--") ? argument.substring(0, argument.indexOf('=')) : argument;
      String inline = argument.contains("=") && argument.startsWith("--") ? argument.substring(argument.indexOf('=') + 1) : null;
      switch (flag) {
        case "-f", "--file" -> files.add(inline != null ? inline : arguments.get(++index));
        case "--set" -> overrides.add(inline != null ? inline : arguments.get(++index));
        case "--push" -> push = inline == null || Boolean.parseBoolean(inline);
        case "--load" -> load = inline == null || Boolean.parseBoolean(inline);
        case "--no-cache" -> noCache = inline == null || Boolean.parseBoolean(inline);
        case "--pull" -> pull = inline == null || Boolean.parseBoolean(inline);
        case "--provenance" -> provenance = inline;
        case "--sbom" -> sbom = inline;
        default -> targets.add(argument);
      }
    }
    return new BakeRequest(files, targets, overrides, push, load, noCache, pull, provenance, sbom, environment, folder,
        () -> new ByteArrayInputStream(new byte[0]));
  }
}
