package dev.depotrunner.steps.depot;

import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.Annotation;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ContextSource;
import dev.depotrunner.steps.build.options.GoBool;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.InvalidOptionException;
import dev.depotrunner.steps.build.options.OutputSpec;
import dev.depotrunner.steps.build.options.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outputs of a build that runs on several Depot builders, one per architecture: what each builder
 * exports, and what the client joins afterwards. An image push becomes a push by digest on every
 * builder, which the client joins into one image index under the tags, as buildx does for a build on
 * several nodes. A {@code local} export gets one folder per platform, and so does a {@code tar} export,
 * which each builder writes to a scratch file for the client to join.
 */
final class BuilderOutputs {

  private static final String ONE_BUILDER_HINT = "or add --build-platform linux/amd64 to build every platform on one builder";

  private final List<OutputSpec> outputs;
  private final Optional<OutputSpec> tar;
  private final List<String> pushNames;
  private final Map<String, String> indexAnnotations;

  private BuilderOutputs(
      List<OutputSpec> outputs, Optional<OutputSpec> tar, List<String> pushNames, Map<String, String> indexAnnotations) {
    this.outputs = outputs;
    this.tar = tar;
    this.pushNames = pushNames;
    this.indexAnnotations = indexAnnotations;
  }

  /**
   * Plans the outputs of {@code options} for several builders.
   *
   * @throws BuildStepException for an output that cannot be joined, naming what to use instead
   */
  static BuilderOutputs plan(BuildOptions options) throws BuildStepException {
    if (options.context() instanceof ContextSource.Archive) {
      throw reject("a build context on stdin can be sent to one builder only; pass the context as a folder or URL, "
          + ONE_BUILDER_HINT);
    }
    if (options.load()) {
      throw reject("--load: the docker exporter cannot hold images of several architectures; use --push,"
          + " or --load one platform at a time (--platform linux/amd64)");
    }

    List<OutputSpec> outputs = new ArrayList<>();
    OutputSpec push = null;
    OutputSpec tar = null;
    for (OutputSpec output : options.outputs()) {
      switch (output.type()) {
        case "tar" -> {
          if (tar != null) {
            throw reject("--output: a build on several builders joins one tar export; keep one type=tar output, "
                + ONE_BUILDER_HINT);
          }
          tar = output;
        }
        case "docker" -> throw reject("--output type=docker: the docker exporter cannot hold images of several"
            + " architectures; use --push, --output type=local or type=tar");
        case "oci" -> throw reject("--output type=oci: the results of several builders cannot be joined into one"
            + " oci export; use --push, --output type=local or type=tar, " + ONE_BUILDER_HINT);
        case "registry" -> push = onlyPush(push, output);
        case "image" -> {
          if (options.push() || GoBool.isTrue(output.attributes().get("push"))) {
            push = onlyPush(push, output);
          } else {
            outputs.add(withNames(output, options.tags()));
          }
        }
        default -> outputs.add(output);
      }
    }
    if (push == null && options.push()) {
      push = new OutputSpec("image", new TreeMap<>(), Optional.empty());
    }
    if (push == null) {
      return new BuilderOutputs(List.copyOf(outputs), Optional.ofNullable(tar), List.of(), Map.of());
    }

    List<String> names = pushNames(push, options.tags());
    SortedMap<String, String> attributes = new TreeMap<>(push.attributes());
    attributes.put("name", String.join(",", repositories(names)));
    attributes.put("push", "true");
    attributes.put("push-by-digest", "true");
    attributes.putIfAbsent("unpack", "false");
    // Each builder's image is only a part of the joined index, so the builder's image store need not keep
    // it. Builders that share one store, such as one Docker Engine, would otherwise race to name it.
    attributes.putIfAbsent("store", "false");
    outputs.add(new OutputSpec("image", attributes, Optional.empty()));
    return new BuilderOutputs(List.copyOf(outputs), Optional.ofNullable(tar), names, indexAnnotations(options, push));
  }

  /** Returns the outputs that the builder of {@code group} exports, its tarball into {@code scratch}. */
  List<OutputSpec> outputsFor(PlatformGroup group, Path scratch) {
    List<OutputSpec> planned = new ArrayList<>();
    tar.ifPresent(output -> planned.add(output.withDestination(scratchTarball(group, scratch).toString())));
    for (OutputSpec output : outputs) {
      // BuildKit puts each platform of a multi-platform local export in its own folder, but a builder
      // with one platform writes to the destination itself, so that folder is named here.
      if (output.type().equals("local") && group.platforms().size() == 1) {
        Path folder = Path.of(output.destination().orElseThrow()).resolve(folderName(group.platforms().get(0)));
        planned.add(output.withDestination(folder.toString()));
      } else {
        planned.add(output);
      }
    }
    return List.copyOf(planned);
  }

  /** Returns the {@code tar} output whose tarballs the client joins. */
  Optional<OutputSpec> tar() {
    return tar;
  }

  /** Returns where the builder of {@code group} writes its tarball. */
  static Path scratchTarball(PlatformGroup group, Path scratch) {
    return scratch.resolve(group.label() + ".tar");
  }

  /** Returns the platform folder that a group's tarball needs, or empty when BuildKit wrote platform folders itself. */
  static Optional<String> tarFolder(PlatformGroup group) {
    return group.platforms().size() == 1 ? Optional.of(folderName(group.platforms().get(0))) : Optional.empty();
  }

  /** Returns the image names, with tags, that get the joined index; empty when nothing is pushed. */
  List<String> pushNames() {
    return pushNames;
  }

  /** Returns the {@code --annotation index:KEY=VALUE} annotations for the joined index. */
  Map<String, String> indexAnnotations() {
    return indexAnnotations;
  }

  /** Returns the folder of {@code platform} in a multi-platform local export, such as {@code linux_arm_v7}. */
  static String folderName(Platform platform) {
    String name = platform.os() + "_" + platform.architecture();
    return platform.variant().isEmpty() ? name : name + "_" + platform.variant();
  }

  /** Returns each image's repository without tag or digest, once each, as BuildKit pushes by digest. */
  static List<String> repositories(List<String> names) throws BuildStepException {
    Set<String> repositories = new LinkedHashSet<>();
    for (String name : names) {
      try {
        repositories.add(ImageReference.parse(name).name());
      } catch (InvalidOptionException e) {
        throw BuildStepException.of(e.getMessage(), e);
      }
    }
    return List.copyOf(repositories);
  }

  private static OutputSpec onlyPush(OutputSpec earlier, OutputSpec output) throws BuildStepException {
    if (earlier != null) {
      throw reject("--output: a build on several builders pushes one image; keep one registry output, "
          + ONE_BUILDER_HINT);
    }
    return output;
  }

  private static OutputSpec withNames(OutputSpec output, List<ImageReference> tags) {
    if (tags.isEmpty() || output.attributes().containsKey("name")) {
      return output;
    }
    SortedMap<String, String> attributes = new TreeMap<>(output.attributes());
    attributes.put("name", String.join(",", tags.stream().map(ImageReference::toString).toList()));
    return new OutputSpec(output.type(), attributes, output.destination());
  }

  private static List<String> pushNames(OutputSpec push, List<ImageReference> tags) throws BuildStepException {
    List<String> names = new ArrayList<>();
    if (!tags.isEmpty()) {
      tags.forEach(tag -> names.add(tag.toString()));
    } else {
      for (String name : push.attributes().getOrDefault("name", "").split(",")) {
        if (!name.isBlank()) {
          names.add(name.trim());
        }
      }
    }
    if (names.isEmpty()) {
      throw BuildStepException.of("--push: an image name is needed to push; add -t REGISTRY/REPOSITORY[:TAG]", null);
    }
    return List.copyOf(names);
  }

  private static Map<String, String> indexAnnotations(BuildOptions options, OutputSpec push) {
    Map<String, String> annotations = new LinkedHashMap<>();
    for (Annotation annotation : options.annotations()) {
      if (annotation.type().equals("index")) {
        annotations.put(annotation.key(), annotation.value());
      }
    }
    String prefix = "annotation-index.";
    push.attributes().forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        annotations.put(key.substring(prefix.length()), value);
      }
    });
    return Map.copyOf(annotations);
  }

  private static BuildStepException reject(String message) {
    return BuildStepException.of(message, null);
  }
}
