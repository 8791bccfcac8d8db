package dev.depotrunner.steps.depot;

import dev.depotrunner.buildkit.auth.RegistryCredentials;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildResponse;
import dev.depotrunner.steps.build.BuildStepException;
import dev.depotrunner.steps.build.options.BuildOptions;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.InvalidOptionException;
import dev.depotrunner.steps.build.options.OutputSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The image that {@code --save} keeps in Depot's registry: the build's options with an image export
 * that pushes to the saved tags, and the credentials that the session's Auth serves for their registry.
 *
 * <p>{@link #toString()} never shows a credential's secret, because {@link RegistryCredentials} hides it.
 *
 * @param options the build's options with the save export added
 * @param tags the tags of the saved image, the build id tag first
 * @param credentials registry credentials by host, for the session's Auth
 */
public record SavedImage(
    BuildOptions options, List<ImageReference> tags, Map<String, RegistryCredentials> credentials) {

  /** The registry that the Depot CLI saves to when CreateBuild returns no tags. */
  static final String DEPOT_REGISTRY = "registry.depot.dev";

  /** The user name of Depot's registry tokens. */
  static final String TOKEN_USER = "x-token";

  public SavedImage {
    tags = List.copyOf(tags);
    credentials = Map.copyOf(credentials);
  }

  /**
   * Adds the save export to {@code options}, as the Depot CLI does: every image output then pushes,
   * and a build without one gets an image export that pushes. The saved tags come from CreateBuild's
   * {@code additional_tags}, else {@code registry.depot.dev/<project>:<build id>} and one per save
   * tag. Unless the user pushes, the saved tags replace the user's, so that nothing else is pushed.
   *
   * @param projectId the project the build runs in
   * @param bakeTarget a bake target's name, which suffixes every saved tag with {@code -<target>}
   * @throws BuildStepException if Depot returned a tag or credential that cannot be used; its message
   *     is one line and names the value, never the secret
   */
  public static SavedImage add(
      BuildOptions options, CreateBuildResponse response, String projectId, Optional<String> bakeTarget)
      throws BuildStepException {
    List<ImageReference> savedTags = savedTags(options, response, projectId, bakeTarget);
    Map<String, RegistryCredentials> credentials = credentials(response);

    boolean pushes = options.push();
    List<OutputSpec> outputs = new ArrayList<>();
    boolean hasImageOutput = false;
    for (OutputSpec output : options.outputs()) {
      if (!isImageOutput(output)) {
        outputs.add(output);
        continue;
      }
      hasImageOutput = true;
      pushes |= output.type().equals("registry") || output.attributes().containsKey("push");
      TreeMap<String, String> attributes = new TreeMap<>(output.attributes());
      attributes.put("push", "true");
      outputs.add(new OutputSpec(output.type(), attributes, output.destination()));
    }
    if (!hasImageOutput && !options.push()) {
      outputs.add(new OutputSpec("image", new TreeMap<>(Map.of("push", "true")), Optional.empty()));
    }

    // NOTE: without a push, the saved tags replace the user's, as in the Depot CLI. So --load names the
    // loaded image with the saved tags, while the Depot CLI (pkg/load/cli.go) loads it under the user's.
    List<ImageReference> tags = new ArrayList<>(pushes ? options.tags() : List.of());
    savedTags.stream().filter(tag -> !tags.contains(tag)).forEach(tags::add);
    return new SavedImage(options.withTagsAndOutputs(tags, outputs), savedTags, credentials);
  }

  /**
   * Returns the lines that tell how to pull and push the saved image, as the Depot CLI prints them
   * after a saved build.
   */
  public List<String> usage(String projectId, String buildId) {
    List<String> lines = new ArrayList<>();
    lines.add("Saved target:");
    lines.add("\tTo pull: depot pull --project " + projectId + " " + buildId);
    List<ImageReference> saveTags = tags.stream()
        .filter(tag -> !tag.tag().orElse("").contains(buildId))
        .toList();
    if (!saveTags.isEmpty()) {
      lines.add("\tTo pull save-tags:");
      lines.add("\t\tdocker login " + saveTags.get(0).domain() + " -u " + TOKEN_USER
          + " -p $(depot pull-token --project " + projectId + ")");
      saveTags.forEach(tag -> lines.add("\t\tdocker pull " + tag));
    }
    lines.add("\tTo push: depot push --project " + projectId + " --tag <REPOSITORY:TAG> " + buildId);
    return lines;
  }

  private static boolean isImageOutput(OutputSpec output) {
    return output.type().equals("image") || output.type().equals("registry");
  }

  private static List<ImageReference> savedTags(
      BuildOptions options, CreateBuildResponse response, String projectId, Optional<String> bakeTarget)
      throws BuildStepException {
    List<String> names = new ArrayList<>();
    if (response.getAdditionalTagsCount() > 0) {
      response.getAdditionalTagsList().forEach(tag -> names.add(tag.getTag()));
    } else {
      names.add(DEPOT_REGISTRY + "/" + projectId + ":" + response.getBuildId());
      options.saveTags().forEach(tag -> names.add(DEPOT_REGISTRY + "/" + projectId + ":" + tag));
    }

    List<ImageReference> tags = new ArrayList<>();
    for (String name : names) {
      String suffixed = bakeTarget.map(target -> name + "-" + target).orElse(name);
      ImageReference tag;
      try {
        tag = ImageReference.parse(suffixed);
      } catch (InvalidOptionException e) {
        throw BuildStepException.of("Depot returned an invalid tag " + suffixed + " for the saved image of build "
            + response.getBuildId() + ": " + e.getMessage(), e);
      }
      if (!tags.contains(tag)) {
        tags.add(tag);
      }
    }
    return tags;
  }

  /**
   * Decodes CreateBuild's {@code additional_credentials}, base64 of {@code user:password} per host, else
   * the build token for {@code registry.depot.dev}.
   */
  private static Map<String, RegistryCredentials> credentials(CreateBuildResponse response)
      throws BuildStepException {
    Map<String, RegistryCredentials> credentials = new LinkedHashMap<>();
    if (response.getAdditionalCredentialsCount() == 0) {
      credentials.put(DEPOT_REGISTRY, RegistryCredentials.basic(TOKEN_USER, response.getBuildToken()));
      return credentials;
    }
    for (CreateBuildResponse.Credential credential : response.getAdditionalCredentialsList()) {
      String login;
      try {
        login = new String(Base64.getDecoder().decode(credential.getToken()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalidCredential(credential.getHost(), response.getBuildId(), "it is not base64");
      }
      int colon = login.indexOf(':');
      if (colon < 0) {
        throw invalidCredential(credential.getHost(), response.getBuildId(), "it is not user:password");
      }
      credentials.put(credential.getHost(),
          RegistryCredentials.basic(login.substring(0, colon), login.substring(colon + 1)));
    }
    return credentials;
  }

  private static BuildStepException invalidCredential(String host, String buildId, String reason) {
    return BuildStepException.of("Depot returned an invalid registry credential for " + host + " in build " + buildId
        + ": " + reason + "; retry the build, and report it to Depot if it happens again", null);
  }
}
