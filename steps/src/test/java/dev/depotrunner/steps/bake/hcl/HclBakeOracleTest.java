package dev.depotrunner.steps.bake.hcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.depotrunner.steps.bake.BakeSource;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares HclBakeReader with {@code docker buildx bake --print} (buildx 0.29.1) on the cases under
 * {@code src/test/resources/bake/hcl}; {@code record-golden.sh} there records buildx's output.
 */
class HclBakeOracleTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Attributes buildx fills in when a file leaves them out. */
  private static final Set<String> DEFAULTED = Set.of("context", "dockerfile");

  /** String attributes and maps of strings that buildx's --print escapes so they are not evaluated again. */
  private static final Set<String> ESCAPED = Set.of("annotations", "dockerfile-inline", "labels", "args",
      "extra-hosts");

  @ParameterizedTest
  @ValueSource(strings = {"variables", "typed", "functions", "matrix", "references", "templates", "operators",
      "multifile", "json", "mixed", "validation", "merge", "heredocs"})
  void matchesBuildx(String name) throws Exception {
    String base = "/bake/hcl/" + name + "/";
    HclBakeFile file = HclBakeReader.read(sources(base), environment(base));
    JsonNode golden = JSON.readTree(resource(base + "golden.json"));

    Map<String, HclBlock> targets = new LinkedHashMap<>();
    file.targets().forEach(target -> targets.put(target.name(), target));
    Iterator<Map.Entry<String, JsonNode>> expectedTargets = golden.get("target").fields();
    while (expectedTargets.hasNext()) {
      Map.Entry<String, JsonNode> expected = expectedTargets.next();
      HclBlock actual = targets.get(expected.getKey());
      assertNotNull(actual, "target " + expected.getKey() + " missing; read " + targets.keySet());
      compareTarget(expected.getKey(), expected.getValue(), actual);
    }

    Map<String, HclBlock> groups = new LinkedHashMap<>();
    file.groups().forEach(group -> groups.put(group.name(), group));
    Iterator<Map.Entry<String, JsonNode>> expectedGroups = golden.get("group").fields();
    while (expectedGroups.hasNext()) {
      Map.Entry<String, JsonNode> expected = expectedGroups.next();
      HclBlock actual = groups.get(expected.getKey());
      assertNotNull(actual, "group " + expected.getKey() + " missing; read " + groups.keySet());
      Set<String> expectedMembers = new TreeSet<>();
      expected.getValue().get("targets").forEach(member -> expectedMembers.add(member.asText()));
      Set<String> actualMembers = new TreeSet<>();
      ((List<?>) actual.attributes().get("targets")).forEach(member -> actualMembers.add((String) member));
      // --print lists only the targets it resolved, so a group may name more than buildx prints.
      assertTrue(actualMembers.containsAll(expectedMembers), "group " + expected.getKey() + ": expected "
          + expectedMembers + " in " + actualMembers);
    }
  }

  private static void compareTarget(String name, JsonNode expected, HclBlock actual) {
    Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      if (!actual.attributes().containsKey(key)) {
        assertTrue(DEFAULTED.contains(key), "target " + name + " lacks " + key + " = " + field.getValue());
        continue;
      }
      Object value = normalize(key, actual.attributes().get(key));
      assertEquals(field.getValue(), JSON.valueToTree(value), "target " + name + " attribute " + key);
    }
    for (Map.Entry<String, Object> attribute : actual.attributes().entrySet()) {
      if (attribute.getValue() != null) {
        assertTrue(expected.has(attribute.getKey()), "target " + name + " has " + attribute.getKey()
            + " that buildx does not print");
      }
    }
  }

  /** Applies the conversions buildx's Target type makes: map values and list elements become strings. */
  private static Object normalize(String key, Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> converted = new LinkedHashMap<>();
      map.forEach((k, v) -> converted.put((String) k, v == null ? null : escape(key, scalar(v))));
      return converted;
    }
    if (value instanceof List<?> list) {
      List<Object> converted = new ArrayList<>();
      list.forEach(element -> converted.add(escape(key, scalar(element))));
      return converted;
    }
    if (value instanceof String string) {
      return escape(key, string);
    }
    return value;
  }

  private static String scalar(Object value) {
    if (value instanceof BigDecimal number) {
      return number.stripTrailingZeros().toPlainString();
    }
    return String.valueOf(value);
  }

  private static String escape(String key, String value) {
    if (!ESCAPED.contains(key)) {
      return value;
    }
    return value.replace("${", "$${").replace("%{", "%%{");
  }

  private static List<BakeSource> sources(String base) throws IOException {
    List<String> names = new ArrayList<>();
    InputStream list = HclBakeOracleTest.class.getResourceAsStream(base + "files");
    if (list != null) {
      for (String line : new String(list.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          names.add(line.strip());
        }
      }
    } else if (HclBakeOracleTest.class.getResource(base + "docker-bake.json") != null) {
      names.add("docker-bake.json");
    } else {
      names.add("docker-bake.hcl");
    }
    List<BakeSource> sources = new ArrayList<>();
    for (String name : names) {
      sources.add(new BakeSource(name, resource(base + name)));
    }
    return sources;
  }

  private static Map<String, String> environment(String base) throws IOException {
    InputStream stream = HclBakeOracleTest.class.getResourceAsStream(base + "env.properties");
    Map<String, String> environment = new LinkedHashMap<>();
    if (stream == null) {
      return environment;
    }
    // Lines are NAME=value as env(1) takes them, so read them without Properties' escape rules.
    for (String line : new String(stream.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        environment.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
    return environment;
  }

  static String resource(String path) throws IOException {
    try (InputStream stream = HclBakeOracleTest.class.getResourceAsStream(path)) {
      assertNotNull(stream, "missing test resource " + path);
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
