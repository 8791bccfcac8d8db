package dev.depotrunner.steps.depot;

import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOutput;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.OutputSpec;
import java.util.Map;

/** Builds the CreateBuild requests that describe a {@code depot build} or a bake's targets to Depot. */
final class CreateBuildRequests {

  private CreateBuildRequests() {}

  static CreateBuildRequest of(dev.depotrunner.steps.build.options.BuildOptions options, String projectId) {
    return request(projectId).addOptions(describe(options, Command.COMMAND_BUILD)).build();
  }

  /** Returns the request for a bake's targets in one project, one options entry per target. */
  static CreateBuildRequest forBake(
      Map<String, dev.depotrunner.steps.build.options.BuildOptions> targets, String projectId) {
    CreateBuildRequest.Builder request = request(projectId);
    targets.forEach((name, options) -> request.addOptions(
        describe(options, Command.COMMAND_BAKE).setTargetName(name)));
    return request.build();
  }

  private static CreateBuildRequest.Builder request(String projectId) {
    return CreateBuildRequest.newBuilder()
        .setProjectId(projectId)
        .setRequiredEngine(CreateBuildRequest.RequiredEngine.newBuilder()
            .setBuildkit(CreateBuildRequest.RequiredEngine.BuildKitEngine.getDefaultInstance()));
  }

  private static BuildOptions.Builder describe(
      dev.depotrunner.steps.build.options.BuildOptions options, Command command) {
    var build = BuildOptions.newBuilder()
        .setCommand(command)
        .setPush(options.push())
        .setLoad(options.load())
        .setLint(options.lint())
        .setSave(options.save())
        .addAllSaveTags(options.saveTags());
    for (ImageReference tag : options.tags()) {
      build.addTags(tag.toString());
    }
    for (OutputSpec output : options.outputs()) {
      var kind = BuildOutput.newBuilder().setKind(output.type()).putAllAttributes(output.attributes());
      output.destination().ifPresent(destination -> kind.putAttributes("dest", destination));
      build.addOutputs(kind);
    }
    options.target().ifPresent(build::setTargetName);
    return build;
  }
}
