package dev.depotrunner.steps.build.options;

import java.io.InputStream;
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

  /**
   * A tar archive read from stdin ({@code depot build - < context.tar}), plain or compressed with gzip,
   * bzip2 or xz. The builder fetches it through the session's upload service as it reads stdin, so it
   * is never stored on this machine; the Dockerfile comes from inside it.
   *
   * @param stream the whole archive, from its first byte; the session closes it after sending
   * @param uploadId the name under which the session serves it, random so that no two builds share one
   */
  record Archive(InputStream stream, String uploadId) implements ContextSource {}
}
