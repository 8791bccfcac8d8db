package dev.depotrunner.runner.ci;

import dev.depotrunner.buildkit.secrets.SecretSpec;
import dev.depotrunner.steps.build.options.BuildOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/** Creates the reporter for the CI a run is in. */
public final class CiReporters {

  /** Secret files larger than this are not read for masking; build secrets are tokens and keys, far smaller. */
  static final long MAX_MASKED_FILE_BYTES = 64 * 1024;

  private CiReporters() {}

  /**
   * Creates the reporter for {@code ci.system()}.
   *
   * @param log the stream the progress renderer writes to, which the caller owns and keeps open
   * @param workingDirectory the folder report paths are relative to when the CI names no workspace
   */
  public static CiReporter create(CiEnvironment ci, PrintStream log, Path workingDirectory) {
    return switch (ci.system()) {
      case GITHUB_ACTIONS -> new GitHubReporter(ci, log, workingDirectory);
      case GITLAB_CI -> new GitLabReporter(ci, log, workingDirectory, InstantSource.system());
      case JENKINS, CIRCLECI -> new FileReporter(ci, log, workingDirectory);
      case BUILDKITE -> new BuildkiteReporter(ci, log, workingDirectory);
      case GENERIC, NONE -> new LogReporter(ci, log, workingDirectory);
    };
  }

  /**
   * Registers the values of {@code --secret} specs with the reporter: each variable's value, and each
   * file's text when it is at most {@value #MAX_MASKED_FILE_BYTES} bytes. Unreadable, missing or
   * invalid specs are skipped here, because the build reports them.
   */
  public static void registerSecrets(CiReporter reporter, List<String> secretSpecs, Map<String, String> environment,
      Path workingDirectory) {
    for (String value : secretSpecs) {
      SecretSpec spec;
      try {
        spec = SecretSpec.parse(value);
      } catch (IllegalArgumentException invalid) {
        continue;
      }
      String variable = !spec.env().isEmpty() ? spec.env() : (spec.filePath().isEmpty() ? spec.id() : "");
      if (!variable.isEmpty() && environment.containsKey(variable)) {
        reporter.registerSecret(environment.get(variable));
        continue;
      }
      String file = !spec.filePath().isEmpty() ? spec.filePath() : spec.id();
      if (!file.isEmpty()) {
        registerFile(reporter, workingDirectory.resolve(file));
      }
    }
  }

  /**
   * Registers the secrets of one build's options: its Depot token and its {@code --secret} values, as
   * {@link #registerSecrets} reads them.
   */
  public static void registerSecrets(
      CiReporter reporter, BuildOptions options, Map<String, String> environment, Path workingDirectory) {
    options.token().ifPresent(token -> reporter.registerSecret(token.value()));
    registerSecrets(reporter, options.secrets(), environment, workingDirectory);
  }

  private static void registerFile(CiReporter reporter, Path file) {
    try {
      if (Files.isRegularFile(file) && Files.size(file) <= MAX_MASKED_FILE_BYTES) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        reporter.registerSecret(text.strip());
      }
    } catch (IOException unreadable) {
      // The secrets provider reads the file again during the build and reports the error there.
    }
  }
}
