package dev.depotrunner.runner.cli;

import dev.depotrunner.steps.build.options.BuildOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The flags of {@code depot bake} that apply to the whole bake rather than to one target.
 *
 * @param targetDefaults makes an options builder holding the settings every target shares: the builder
 *     address and TLS files, the progress mode, the Depot flags, the environment and working folder
 * @param metadataFile {@code --metadata-file}: where to write one metadata entry per target
 * @param defaultProject {@code --project} or {@code DEPOT_PROJECT_ID}: the Depot project of targets that
 *     name none
 */
public record BakeSettings(
    Supplier<BuildOptions.Builder> targetDefaults, Optional<Path> metadataFile, Optional<String> defaultProject) {}
