package dev.depotrunner.steps.depot;

import dev.depotrunner.depotapi.proto.cli.v1.BuildOptions;
import dev.depotrunner.depotapi.proto.cli.v1.BuildOutput;
import dev.depotrunner.depotapi.proto.cli.v1.Command;
import dev.depotrunner.depotapi.proto.cli.v1.CreateBuildRequest;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.OutputSpec;

/** Builds the CreateBuild request that describes a {@code depot build} to Depot. */
final class CreateBuildRequests {

  private CreateBuildRequests() {}

  static CreateBuildRequest of(dev.depotrunner.steps.build.options.BuildOptions options, String projectId) {
    var build = BuildOptions.newBuilder()
        .setCommand(Command.COMMAND_BUILD)
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

    return CreateBuildRequest.newBuilder()
        .setProjectId(projectId)
        .addOptions(build)
        .setRequiredEngine(CreateBuildRequest.RequiredEngine.newBuilder()
            .setBuildkit(CreateBuildRequest.RequiredEngine.BuildKitEngine.getDefaultInstance()))
        .build();
  }
}
