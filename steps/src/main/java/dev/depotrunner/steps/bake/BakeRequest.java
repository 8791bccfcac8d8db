package dev.depotrunner.steps.bake;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The input of a {@code depot bake} resolution: the files ({@code -f}, empty for the default names), the
 * targets and groups (empty for {@code default}), the {@code --set} overrides and the shorthand flags that
 * buildx turns into overrides.
 *
 * @param noCache {@code --no-cache}, or null when not given
 * @param pull {@code --pull}, or null when not given
 * @param provenance {@code --provenance}, or empty
 * @param sbom {@code --sbom}, or empty
 */
public record BakeRequest(
    List<String> files,
    List<String> targets,
    List<String> overrides,
    boolean push,
    boolean load,
    Boolean noCache,
    Boolean pull,
    String provenance,
    String sbom,
    Map<String, String> environment,
    Path workingDirectory,
    Supplier<InputStream> stdin) {

  public BakeRequest {
    files = List.copyOf(files);
    targets = List.copyOf(targets);
    overrides = List.copyOf(overrides);
    provenance = provenance == null ? "" : provenance;
    sbom = sbom == null ? "" : sbom;
    environment = Map.copyOf(environment);
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(stdin, "stdin");
  }

  /** Returns the {@code --set} values with the shorthand flags appended, in buildx's order. */
  List<String> allOverrides() {
    List<String> all = new java.util.ArrayList<>(overrides);
    if (push) {
      all.add("*.push=true");
    }
    if (load) {
      all.add("*.load=true");
    }
    if (noCache != null) {
      all.add("*.no-cache=" + noCache);
    }
    if (pull != null) {
      all.add("*.pull=" + pull);
    }
    if (!sbom.isEmpty()) {
      all.add("*.attest=" + AttestEntry.canonical("sbom", sbom));
    }
    if (!provenance.isEmpty()) {
      all.add("*.attest=" + AttestEntry.canonical("provenance", provenance));
    }
    return all;
  }
}
