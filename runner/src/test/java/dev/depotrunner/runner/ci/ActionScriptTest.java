package dev.depotrunner.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the action's script with a stand-in for bin/depot that prints its arguments, one a line, to
 * check how inputs become flags.
 */
class ActionScriptTest {

  private static final Path SCRIPT =
      Path.of("").toAbsolutePath().getParent().resolve("ci-templates/github-actions/depot-action.sh");
  private static final String BUILDER_ID = "https://github.com/acme/app/actions/runs/77";

  @TempDir Path folder;
  private final Map<String, String> environment = new HashMap<>();

  /** What the stand-in received. */
  record Call(int exitCode, List<String> arguments, String output) {}

  @BeforeEach
  void setUp() throws IOException {
    Path fake = folder.resolve("depot");
    Files.writeString(fake, "#!/bin/sh\n"
        + "for argument in \"$@\"; do echo \"ARG $argument\"; done\n"
        + "echo \"TOKEN ${DEPOT_TOKEN:-}\"\n"
        + "echo \"PWD $(pwd)\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    environment.put("PATH", System.getenv("PATH"));
    environment.put("DEPOT_ACTION_BINARY", fake.toString());
    environment.put("RUNNER_TEMP", Files.createDirectories(folder.resolve("temp")).toString());
    environment.put("GITHUB_SERVER_URL", "https://github.com");
    environment.put("GITHUB_REPOSITORY", "acme/app");
    environment.put("GITHUB_SHA", "abc123");
    environment.put("GITHUB_REF", "refs/heads/main");
    environment.put("GITHUB_RUN_ID", "77");
  }

  private Call run() throws Exception {
    var builder = new ProcessBuilder("bash", SCRIPT.toString()).directory(folder.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    List<String> arguments = output.lines().filter(line -> line.startsWith("ARG ")).map(line -> line.substring(4)).toList();
    return new Call(process.exitValue(), arguments, output);
  }

  @Test
  void listInputsSplitLikeBuildPushAction() throws Exception {
    environment.put("INPUT_CONTEXT", "app");
    environment.put("INPUT_TAGS", "registry.example/app:1,registry.example/app:2\n  registry.example/app:3  \n\n");
    environment.put("INPUT_PLATFORMS", "linux/amd64\nlinux/arm64");
    environment.put("INPUT_BUILD_ARGS", "A=1,2\nB=x y");
    environment.put("INPUT_CACHE_TO", "\"type=registry,ref=registry.example/cache,mode=max\"");
    environment.put("INPUT_PROVENANCE", "false");

    Call call = run();

    assertEquals(0, call.exitCode(), call.output());
    assertEquals(List.of("--ci=github", "build",
        "--build-arg", "A=1,2", "--build-arg", "B=x y",
        "--cache-to", "type=registry,ref=registry.example/cache,mode=max",
        "--platform", "linux/amd64,linux/arm64",
        "--tag", "registry.example/app:1", "--tag", "registry.example/app:2", "--tag", "registry.example/app:3",
        "--provenance", "false", "app"), call.arguments());
  }

  @Test
  void defaultContextIsRepositoryAtCommit() throws Exception {
    environment.put("INPUT_GITHUB_TOKEN", "ghs_token");

    Call call = run();

    assertEquals(List.of("--ci=github", "build", "--secret", "id=GIT_AUTH_TOKEN,env=DEPOT_ACTION_GIT_AUTH_TOKEN",
        "--provenance", "mode=max,builder-id=" + BUILDER_ID, "https://github.com/acme/app.git#abc123"), call.arguments());
  }

  @Test
  void pullRequestContextKeepsRef() throws Exception {
    environment.put("GITHUB_REF", "refs/pull/5/merge");
    environment.put("INPUT_CONTEXT", "{{defaultContext}}:docker");
    environment.put("INPUT_PROVENANCE", "false");

    Call call = run();

    assertEquals("https://github.com/acme/app.git#refs/pull/5/merge:docker", call.arguments().get(call.arguments().size() - 1));
  }

  @Test
  void provenanceGetsBuilderId() throws Exception {
    environment.put("INPUT_CONTEXT", ".");

    environment.put("INPUT_PROVENANCE", "true");
    assertTrue(run().arguments().contains("builder-id=" + BUILDER_ID));
    environment.put("INPUT_PROVENANCE", "mode=min");
    assertTrue(run().arguments().contains("mode=min,builder-id=" + BUILDER_ID));
    environment.put("INPUT_PROVENANCE", "mode=max,builder-id=custom");
    assertTrue(run().arguments().contains("mode=max,builder-id=custom"));
  }

  @Test
  void privateRepositoryGetsMinimalProvenance() throws Exception {
    environment.put("INPUT_CONTEXT", ".");
    environment.put("DEPOT_ACTION_REPOSITORY_PRIVATE", "true");

    assertTrue(run().arguments().contains("mode=min,inline-only=true,builder-id=" + BUILDER_ID));
  }

  @Test
  void loadSkipsDefaultProvenance() throws Exception {
    environment.put("INPUT_CONTEXT", ".");
    environment.put("INPUT_LOAD", "true");

    assertEquals(List.of("--ci=github", "build", "--load", "."), run().arguments());
  }

  @Test
  void secretsGoThroughPrivateFiles() throws Exception {
    environment.put("INPUT_CONTEXT", ".");
    environment.put("INPUT_PROVENANCE", "false");
    environment.put("INPUT_SECRETS", "npm=value=with=equals\n");
    environment.put("INPUT_SECRET_FILES", "key=/path/to/key");

    Call call = run();

    String npm = call.arguments().get(call.arguments().indexOf("--secret") + 1);
    assertTrue(npm.startsWith("id=npm,src=" + folder.resolve("temp") + "/depot-secret."), npm);
    Path file = Path.of(npm.substring("id=npm,src=".length()));
    assertEquals("value=with=equals", Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(call.arguments().contains("id=key,src=/path/to/key"));
    assertTrue(!call.output().contains("value=with=equals"), "the secret value is not printed");
  }

  @Test
  void tokenIsPassedInEnvironment() throws Exception {
    environment.put("INPUT_CONTEXT", ".");
    environment.put("INPUT_PROVENANCE", "false");
    environment.put("INPUT_TOKEN", "depot-token");
    environment.put("INPUT_PROJECT", "prj-1");
    environment.put("INPUT_SAVE", "True");
    environment.put("INPUT_SAVE_TAGS", "a,b");

    Call call = run();

    assertTrue(call.output().contains("TOKEN depot-token\n"), call.output());
    assertTrue(!call.arguments().contains("depot-token"));
    assertEquals(List.of("--ci=github", "build", "--provenance", "false", "--project", "prj-1", "--save",
        "--save-tag", "a", "--save-tag", "b", "."), call.arguments());
  }

  @Test
  void bakeRunsInWorkdirWithTargets() throws Exception {
    Path workdir = Files.createDirectories(folder.resolve("bake"));
    environment.put("INPUT_BAKE", "true");
    environment.put("INPUT_WORKDIR", workdir.toString());
    environment.put("INPUT_FILES", "docker-bake.hcl,override.hcl");
    environment.put("INPUT_TARGETS", "app\nworker");
    environment.put("INPUT_SET", "*.platform=linux/arm64");
    environment.put("INPUT_PUSH", "true");

    Call call = run();

    assertEquals(List.of("--ci=github", "bake", "--file", "docker-bake.hcl", "--file", "override.hcl",
        "--set", "*.platform=linux/arm64", "--push", "app", "worker"), call.arguments());
    assertTrue(call.output().contains("PWD " + workdir + "\n"), call.output());
  }

  @Test
  void ciLabelsReachBuildAndBake() throws Exception {
    environment.put("INPUT_CONTEXT", ".");
    environment.put("INPUT_PROVENANCE", "false");
    environment.put("INPUT_CI_LABELS", "true");

    Call build = run();
    environment.put("INPUT_BAKE", "true");
    environment.put("INPUT_WORKDIR", folder.toString());
    Call bake = run();
    environment.put("INPUT_CI_LABELS", "false");
    Call bakeWithout = run();

    assertEquals(0, build.exitCode(), build.output());
    assertEquals(List.of("--ci=github", "build", "--ci-labels", "--provenance", "false", "."), build.arguments());
    assertEquals(0, bake.exitCode(), bake.output());
    assertEquals(List.of("--ci=github", "bake", "--ci-labels", "--provenance", "false"), bake.arguments());
    assertEquals(List.of("--ci=github", "bake", "--provenance", "false"), bakeWithout.arguments());
  }

  @Test
  void invalidBooleanFails() throws Exception {
    environment.put("INPUT_NO_CACHE", "yes");

    Call call = run();

    assertEquals(1, call.exitCode());
    assertEquals("::error title=depot-runner action::Input no-cache must be true or false, got \"yes\"\n", call.output());
  }
}
