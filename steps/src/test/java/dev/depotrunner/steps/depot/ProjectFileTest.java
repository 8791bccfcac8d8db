package dev.depotrunner.steps.depot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectFileTest {

  @TempDir Path root;

  @Test
  void find_walksUpToNearestFile() throws IOException {
    Files.writeString(root.resolve("depot.json"), "{\"id\": \"outer\"}");
    Path app = Files.createDirectories(root.resolve("services/app/src"));
    Files.writeString(root.resolve("services/depot.json"), "{\"id\": \"inner\", \"other\": 1}");

    var found = ProjectFile.find(app).orElseThrow();

    assertEquals("inner", found.projectId());
    assertEquals(root.resolve("services/depot.json"), found.file());
  }

  @Test
  void find_returnsEmptyWithoutFile() throws IOException {
    Path folder = Files.createDirectories(root.resolve("a/b"));

    Optional<ProjectFile.Found> found = ProjectFile.find(folder);

    // A depot.json above the temporary folder would make this fail; none exists on build machines.
    assertTrue(found.isEmpty() || !found.get().file().startsWith(root), String.valueOf(found));
  }

  @Test
  void find_rejectsInvalidJson() throws IOException {
    Files.writeString(root.resolve("depot.json"), "id: yaml");

    var error = assertThrows(IOException.class, () -> ProjectFile.find(root));

    assertTrue(error.getMessage().startsWith("invalid " + root.resolve("depot.json") + ": it is not JSON"),
        error.getMessage());
  }

  @Test
  void find_rejectsMissingId() throws IOException {
    Files.writeString(root.resolve("depot.json"), "{\"id\": \"\"}");

    var error = assertThrows(IOException.class, () -> ProjectFile.find(root));

    assertTrue(error.getMessage().contains("the \"id\" field with the project ID is missing"), error.getMessage());
  }

  @Test
  void find_readsYamlNames() throws IOException {
    Path yml = Files.createDirectories(root.resolve("yml"));
    Path yaml = Files.createDirectories(root.resolve("yaml"));
    Files.writeString(yml.resolve("depot.yml"), "id: from-yml\n");
    Files.writeString(yaml.resolve("depot.yaml"), "# project\nid: \"from-yaml\"\n");

    assertEquals("from-yml", ProjectFile.find(yml).orElseThrow().projectId());
    assertEquals("from-yaml", ProjectFile.find(yaml).orElseThrow().projectId());
  }

  @Test
  void find_prefersJsonInSameFolder() throws IOException {
    Files.writeString(root.resolve("depot.yml"), "id: from-yml\n");
    Files.writeString(root.resolve("depot.json"), "{\"id\": \"from-json\"}");

    assertEquals("from-json", ProjectFile.find(root).orElseThrow().projectId());
  }

  @Test
  void find_rejectsYamlWithoutId() throws IOException {
    Files.writeString(root.resolve("depot.yaml"), "name: app\n");

    var error = assertThrows(IOException.class, () -> ProjectFile.find(root));

    assertTrue(error.getMessage().startsWith("invalid " + root.resolve("depot.yaml")), error.getMessage());
    assertTrue(error.getMessage().contains("the id field with the project ID is missing"), error.getMessage());
  }

  @Test
  void write_producesFileThatFindReads() throws IOException {
    Path file = ProjectFile.write(root, " p-123 ");

    assertEquals(root.resolve("depot.json"), file);
    assertEquals("{\"id\":\"p-123\"}\n", Files.readString(file));
    assertEquals("p-123", ProjectFile.find(root).orElseThrow().projectId());
  }

  @Test
  void write_replacesExistingFile() throws IOException {
    ProjectFile.write(root, "old");

    ProjectFile.write(root, "new");

    assertEquals("new", ProjectFile.find(root).orElseThrow().projectId());
  }
}
