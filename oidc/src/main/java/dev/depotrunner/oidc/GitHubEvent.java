package dev.depotrunner.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The parts of a GitHub Actions event payload (the file at GITHUB_EVENT_PATH) read here. */
final class GitHubEvent {

  private static final ObjectMapper JSON = new ObjectMapper();

  private GitHubEvent() {}

  /**
   * A pull request whose head branch lives in another repository than its base branch.
   *
   * @param head the head repository's full name, such as {@code someone/project}
   * @param base the base repository's full name
   */
  record ForkPullRequest(String head, String base) {}

  /**
   * Returns the fork pull request this job runs for. Empty for other events, for a pull request
   * within one repository, and when the payload is missing or unreadable, since then no fork is
   * known.
   */
  static Optional<ForkPullRequest> forkPullRequest(Environment environment) {
    if (!environment.get("GITHUB_EVENT_NAME").orElse("").equals("pull_request")) {
      return Optional.empty();
    }
    Optional<String> eventPath = environment.get("GITHUB_EVENT_PATH");
    if (eventPath.isEmpty()) {
      return Optional.empty();
    }

    JsonNode payload;
    try {
      payload = JSON.readTree(Path.of(eventPath.get()).toFile());
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }

    JsonNode pullRequest = payload.path("pull_request");
    String head = pullRequest.path("head").path("repo").path("full_name").asText("");
    String base = pullRequest.path("base").path("repo").path("full_name").asText("");
    if (base.isEmpty()) {
      base = payload.path("repository").path("full_name").asText("");
    }

    if (head.isEmpty() || base.isEmpty() || head.equals(base)) {
      return Optional.empty();
    }
    return Optional.of(new ForkPullRequest(head, base));
  }
}
