package dev.depotrunner.steps.build;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code --metadata-file} and {@code --iidfile} contents, written the way docker buildx writes them.
 *
 * <p>BuildKit base64-encodes JSON values in its exporter response (such as
 * {@code containerimage.descriptor}); those are decoded into JSON objects, and every other value is kept
 * as the string it was.
 */
public final class BuildMetadata {

  private BuildMetadata() {}

  /**
   * The JSON mapper, initialized only for {@code --metadata-file}: {@link #imageId} runs on every build,
   * and creating the first ObjectMapper is slow.
   */
  private static final class Mapper {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /**
   * Prints JSON as Go's {@code json.MarshalIndent(v, "", "  ")} does, which buildx and the Depot CLI use:
   * {@code "key": value}, one array element per line, and {@code {}} for an empty object.
   */
  private static final class GoIndentPrinter extends DefaultPrettyPrinter {
    GoIndentPrinter() {
      super();
      DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
      indentObjectsWith(indenter);
      indentArraysWith(indenter);
      _objectFieldValueSeparatorWithSpaces = ": ";
    }

    @Override
    public GoIndentPrinter createInstance() {
      return new GoIndentPrinter();
    }

    @Override
    public void writeEndObject(JsonGenerator generator, int entries) throws IOException {
      if (entries == 0) {
        _nesting--;
        generator.writeRaw('}');
        return;
      }
      super.writeEndObject(generator, entries);
    }

    @Override
    public void writeEndArray(JsonGenerator generator, int values) throws IOException {
      if (values == 0) {
        _nesting--;
        generator.writeRaw(']');
        return;
      }
      super.writeEndArray(generator, values);
    }
  }

  /** Decodes an exporter response into the metadata file's JSON object, keys sorted. */
  public static ObjectNode fromExporterResponse(Map<String, String> exporterResponse) {
    ObjectNode metadata = Mapper.JSON.createObjectNode();
    for (var entry : new TreeMap<>(exporterResponse).entrySet()) {
      metadata.set(entry.getKey(), decodeValue(entry.getKey(), entry.getValue()));
    }
    return metadata;
  }

  /**
   * Returns the image id for {@code --iidfile} and {@code --quiet}: the config digest when the exporter
   * reports one, as {@code docker images} shows ids, else the manifest digest.
   */
  public static String imageId(Map<String, String> exporterResponse) {
    String configDigest = exporterResponse.get("containerimage.config.digest");
    if (configDigest != null && !configDigest.isEmpty()) {
      return configDigest;
    }
    return exporterResponse.getOrDefault("containerimage.digest", "");
  }

  /** Writes the JSON object to {@code file} through a temporary file, so a reader never sees half of it. */
  public static void write(Path file, JsonNode metadata) throws IOException {
    writeAtomically(file, Mapper.JSON.writer(new GoIndentPrinter()).writeValueAsBytes(metadata));
  }

  /**
   * Adds the {@code depot.build} entry that the Depot CLI writes for a build on Depot: its build and
   * project ids.
   */
  public static void addDepotBuild(Path file, String buildId, String projectId) throws IOException {
    addDepotBuild(file, buildId, projectId, List.of());
  }

  /**
   * Adds the {@code depot.build} entry of a bake on Depot: the build and project ids and, when not empty,
   * the targets that the build ran.
   */
  public static void addDepotBuild(Path file, String buildId, String projectId, List<String> targets)
      throws IOException {
    JsonNode read = Mapper.JSON.readTree(file.toFile());
    ObjectNode metadata = read instanceof ObjectNode object ? object : Mapper.JSON.createObjectNode();
    ObjectNode depotBuild = metadata.putObject("depot.build");
    depotBuild.put("buildID", buildId);
    depotBuild.put("projectID", projectId);
    if (!targets.isEmpty()) {
      var names = depotBuild.putArray("targets");
      targets.forEach(names::add);
    }
    write(file, metadata);
  }

  /** Writes the image id to {@code file}, atomically, without a trailing newline as buildx does. */
  public static void writeImageId(Path file, String imageId) throws IOException {
    writeAtomically(file, imageId.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode decodeValue(String key, String value) {
    byte[] json;
    if (key.equals("result.json")) {
      json = value.getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        json = Base64.getDecoder().decode(value);
      } catch (IllegalArgumentException notBase64) {
        return Mapper.JSON.getNodeFactory().textNode(value);
      }
    }

    try {
      JsonNode decoded = Mapper.JSON.readTree(json);
      boolean nonEmptyObject = decoded != null && decoded.isObject() && !decoded.isEmpty();
      boolean nonEmptyArrayOfObjects =
          decoded != null && decoded.isArray() && !decoded.isEmpty() && decoded.get(0).isObject();
      if (nonEmptyObject || nonEmptyArrayOfObjects) {
        return decoded;
      }
    } catch (IOException notJson) {
      // Plain strings such as digests stay as they are.
    }
    return Mapper.JSON.getNodeFactory().textNode(value);
  }

  private static void writeAtomically(Path file, byte[] content) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path folder = absolute.getParent();
    Files.createDirectories(folder);
    Path temporary = Files.createTempFile(folder, "." + absolute.getFileName(), ".tmp");
    try {
      Files.write(temporary, content);
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
