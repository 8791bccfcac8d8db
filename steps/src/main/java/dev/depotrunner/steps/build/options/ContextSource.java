package dev.depotrunner.steps.build.options;

import java.nio.file.Path;

/** Where the main build context comes from: the {@code PATH | URL | -} argument of {@code depot build}. */
public sealed interface ContextSource {

  /**
   * A local folder, synced to the builder through the session.
   *
   * @param directory absolute; an empty temporary folder when the Dockerfile came on stdin
   */
  record Local(Path directory) implements ContextSource {}

  /** A Git or HTTP(S) URL that BuildKit fetches itself, passed to the frontend as {@code context}. */
  record Remote(String url) implements ContextSource {

    /** Returns whether the URL is a Git repository reached over SSH, which needs an SSH agent. */
    public boolean gitOverSsh() {
      return RemoteContexts.isGitSsh(url);
    }

    /** Returns whether the URL carries a Git query string such as {@code ?ref=main}. */
    public boolean gitQuery() {
      return RemoteContexts.hasGitQuery(url);
    }
  }
}
