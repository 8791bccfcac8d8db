package dev.depotrunner.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A running {@code POST /images/load}: the caller writes a docker-archive tar into {@link #archive()},
 * which goes to the engine in chunks as it is written, then calls {@link #finish()} for the engine's
 * response. {@link #close()} without {@code finish()} breaks the upload off, and the engine loads nothing.
 */
public final class ImageLoad implements Closeable {

  private static final String OPERATION = "loading the image into the Docker Engine";

  private final HttpCall call;
  private final EngineConnector connector;
  private boolean finished;

  ImageLoad(HttpCall call, EngineConnector connector) {
    this.call = call;
    this.connector = connector;
  }

  /** Returns the request body stream, which is not thread-safe; closing it ends the body but not the call. */
  public OutputStream archive() {
    return call.body();
  }

  /**
   * Ends the upload and reads the engine's response.
   *
   * @return the engine's output lines, such as {@code Loaded image: app:latest}
   * @throws EngineException if the engine rejects the archive
   */
  public List<String> finish() throws IOException {
    finished = true;
    try (HttpCall.Response response = call.finish()) {
      String operation = OPERATION + " at " + connector;
      if (!response.successful()) {
        throw EngineException.fromResponse(operation, response.head(), response.errorBody());
      }
      List<String> lines = new ArrayList<>();
      JsonMessageReader.read(response.body(), operation, message -> {
        if (!message.stream().isBlank()) {
          lines.add(message.stream().strip());
        }
      });
      return lines;
    }
  }

  @Override
  public void close() throws IOException {
    if (!finished) {
      call.close();
    }
  }
}
