package dev.depotrunner.depotapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The responses of a server-streaming call, read one at a time. The stream ends with Connect's
 * end-of-stream message, which {@link #next()} turns into the end or into a {@link DepotApiException}.
 * Not thread-safe.
 */
public final class ServerStream<R extends Message> implements AutoCloseable {

  private final ConnectClient client;
  private final ConnectMethod<?, R> method;
  private final ApiToken token;
  private final InputStream body;
  private boolean ended;

  ServerStream(ConnectClient client, ConnectMethod<?, R> method, ApiToken token, InputStream body) {
    this.client = client;
    this.method = method;
    this.token = token;
    this.body = body;
  }

  /**
   * Returns the next response, or empty once the server ended the stream without an error.
   *
   * @throws DepotApiException if the server ended the stream with an error, or the stream is malformed
   */
  public Optional<R> next() throws DepotApiException {
    if (ended) {
      return Optional.empty();
    }

    Envelope envelope;
    try {
      envelope = Envelope.read(body);
    } catch (IOException e) {
      ended = true;
      close();
      throw new DepotApiException(ConnectCode.UNAVAILABLE, method.displayName(),
          "the stream broke: " + token.redact(String.valueOf(e.getMessage())), e);
    }
    if (envelope == null) {
      ended = true;
      close();
      throw new DepotApiException(ConnectCode.INTERNAL, method.displayName(),
          "the stream ended without an end-of-stream message", null);
    }
    if (envelope.compressed()) {
      ended = true;
      close();
      throw new DepotApiException(ConnectCode.INTERNAL, method.displayName(),
          "the server sent a compressed message although no compression was offered", null);
    }

    if (envelope.endStream()) {
      ended = true;
      close();
      Optional<DepotApiException> error = endOfStream(envelope.payload());
      if (error.isPresent()) {
        throw error.get();
      }
      return Optional.empty();
    }
    return Optional.of(client.parse(method, token, envelope.payload()));
  }

  /** Returns the error an end-of-stream message carries, or empty when it reports success. */
  private Optional<DepotApiException> endOfStream(byte[] payload) {
    JsonNode end;
    try {
      end = ConnectClient.readJson(payload);
    } catch (IOException e) {
      return Optional.of(new DepotApiException(ConnectCode.INTERNAL, method.displayName(),
          "the end-of-stream message is not valid JSON", e));
    }
    JsonNode error = end == null ? null : end.get("error");
    if (error == null || error.isNull()) {
      return Optional.empty();
    }
    return Optional.of(ConnectClient.fromErrorJson(method, token, error));
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // Closing only releases the connection.
    }
  }
}
