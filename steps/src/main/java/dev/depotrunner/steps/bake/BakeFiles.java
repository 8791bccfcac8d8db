package dev.depotrunner.steps.bake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Finds and reads the bake definition files: the {@code -f} files, or every default file that exists. */
public final class BakeFiles {

  /**
   * The files read when no {@code -f} is given, in buildx's order (v0.29): Compose's default names, then
   * the bake files and their overrides. Every one that exists is read, and later ones override earlier ones.
   */
  public static final List<String> DEFAULT_NAMES = List.of(
      "compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
      "docker-bake.json", "docker-bake.hcl", "docker-bake.override.json", "docker-bake.override.hcl");

  private BakeFiles() {}

  /**
   * Reads {@code names} ({@code -} is stdin) relative to {@code workingDirectory}, or the default files
   * when {@code names} is empty.
   *
   * @throws BakeFileException when a named file cannot be read or no default file exists
   */
  public static List<BakeSource> read(List<String> names, Path workingDirectory, Supplier<InputStream> stdin)
      throws BakeFileException {
    List<BakeSource> sources = new ArrayList<>();
    if (names.isEmpty()) {
      for (String name : DEFAULT_NAMES) {
        Path file = workingDirectory.resolve(name);
        if (Files.isRegularFile(file)) {
          sources.add(new BakeSource(name, readFile(name, file)));
        }
      }
      if (sources.isEmpty()) {
        throw new BakeFileException(null, "no bake definition found in " + workingDirectory + ": add a docker-bake.hcl or"
            + " compose.yaml, or name the file with -f");
      }
      return sources;
    }

    for (String name : names) {
      if (name.equals("-")) {
        try (InputStream input = stdin.get()) {
          sources.add(new BakeSource(name, new String(input.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new BakeFileException("-", "failed to read the bake definition from stdin: " + e.getMessage());
        }
      } else {
        sources.add(new BakeSource(name, readFile(name, workingDirectory.resolve(name))));
      }
    }
    return sources;
  }

  private static String readFile(String name, Path file) throws BakeFileException {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new BakeFileException(name, "file not found; check the -f path");
    } catch (IOException e) {
      throw new BakeFileException(name, "failed to read: " + e.getMessage());
    }
  }
}
