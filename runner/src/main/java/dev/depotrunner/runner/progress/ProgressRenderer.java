package dev.depotrunner.runner.progress;

import dev.depotrunner.buildkit.progress.VertexWarning;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.util.List;

/**
 * Shows a build's events on a stream, in one of the {@link ProgressMode}s. Create one with {@link
 * ProgressRenderers#create}.
 *
 * <p>Events may come from several threads; a renderer handles them one at a time. Call {@link
 * #close()} once after the last event: it prints the end of the output, so the caller prints
 * nothing more for a build that sent {@link BuildEvent.Failed} or {@link BuildEvent.Cancelled}.
 */
public interface ProgressRenderer extends BuildEventListener, AutoCloseable {

  /**
   * Finishes the output: the final state of every vertex, the output of failed vertexes, the
   * warnings summary (plain and tty), then each failure's Dockerfile lines and its {@code ERROR:}
   * line. Events after this are ignored; calling it again does nothing.
   */
  @Override
  void close();

  /**
   * Returns the build's warnings so far without duplicates, in the order they came, such as for a
   * metadata file.
   */
  List<VertexWarning> warnings();
}
