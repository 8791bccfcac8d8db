package dev.depotrunner.engine;

import dev.depotrunner.engine.EngineConnector.EngineSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request to a Docker Engine on its own connection, and its response. The request body is
 * either given whole or streamed in the chunked coding; the response body is read as it arrives, so a
 * message stream can be followed while the engine works.
 */
final class HttpCall implements Closeable {

  /** Largest error body read into memory; the engine's error replies are a few hundred bytes. */
  static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

  private static final int BUFFER_SIZE = 64 * 1024;

  private final EngineSocket socket;
  private final OutputStream output;
  private final InputStream input;
  private final ChunkedOutputStream chunkedBody;

  private HttpCall(EngineSocket socket, boolean chunked) {
    this.socket = socket;
    this.output = new BufferedOutputStream(socket.output(), BUFFER_SIZE);
    this.input = new BufferedInputStream(socket.input(), BUFFER_SIZE);
    this.chunkedBody = chunked ? new ChunkedOutputStream(output) : null;
  }

  /** Sends a request with a whole body, or none when {@code body} is null, and reads the response head. */
  static Response send(
      EngineConnector connector, String method, String target, Map<String, String> headers, byte[] body)
      throws IOException {
    HttpCall call = new HttpCall(connector.open(), false);
    try {
      call.writeHead(connector, method, target, headers, body == null ? 0 : body.length);
      if (body != null) {
        call.output.write(body);
      }
      call.output.flush();
      return call.readResponse();
    } catch (IOException | RuntimeException e) {
      call.close();
      throw e;
    }
  }

  /** Sends the head of a request whose body follows in the chunked coding through {@link #body()}. */
  static HttpCall stream(EngineConnector connector, String method, String target, Map<String, String> headers)
      throws IOException {
    HttpCall call = new HttpCall(connector.open(), true);
    try {
      call.writeHead(connector, method, target, headers, -1);
      return call;
    } catch (IOException | RuntimeException e) {
      call.close();
      throw e;
    }
  }

  /** Returns the stream of the chunked request body. */
  OutputStream body() {
    return chunkedBody;
  }

  /**
   * Ends the chunked request body and reads the response head. When the engine stopped reading early,
   * its response, which says why, is still read.
   */
  Response finish() throws IOException {
    try {
      chunkedBody.finish();
    } catch (IOException writeFailure) {
      try {
        return readResponse();
      } catch (IOException readFailure) {
        writeFailure.addSuppressed(readFailure);
        throw writeFailure;
      }
    }
    return readResponse();
  }

  private void writeHead(
      EngineConnector connector, String method, String target, Map<String, String> headers, long contentLength)
      throws IOException {
    var text = new StringBuilder(256);
    text.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    text.append("Host: ").append(connector.hostHeader()).append("\r\n");
    text.append("User-Agent: depot-runner\r\n");
    text.append("Connection: close\r\n");
    if (contentLength >= 0) {
      text.append("Content-Length: ").append(contentLength).append("\r\n");
    } else {
      text.append("Transfer-Encoding: chunked\r\n");
    }
    headers.forEach((name, value) -> text.append(name).append(": ").append(value).append("\r\n"));
    text.append("\r\n");
    output.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private Response readResponse() throws IOException {
    HttpResponseHead head = readHead();
    InputStream body;
    if (head.status() == 204 || head.status() == 304) {
      body = InputStream.nullInputStream();
    } else if (head.chunked()) {
      body = new ChunkedInputStream(input);
    } else if (head.contentLength() >= 0) {
      body = new LimitedInputStream(input, head.contentLength());
    } else {
      body = input;
    }
    return new Response(head, body, this);
  }

  private HttpResponseHead readHead() throws IOException {
    var bytes = new ByteArrayOutputStream(512);
    int matched = 0;
    while (matched < 4) {
      int value = input.read();
      if (value < 0) {
        throw new EOFException("the Docker Engine closed the connection before it responded");
      }
      bytes.write(value);
      boolean expected = (matched % 2 == 0) ? value == '\r' : value == '\n';
      matched = expected ? matched + 1 : (value == '\r' ? 1 : 0);
      if (bytes.size() > HttpResponseHead.MAX_LENGTH) {
        throw new IOException("invalid HTTP response from the Docker Engine: head longer than " + HttpResponseHead.MAX_LENGTH + " bytes");
      }
    }
    try {
      return HttpResponseHead.parse(ByteBuffer.wrap(bytes.toByteArray()));
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid HTTP response from the Docker Engine: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A response: its head, and its body as it arrives. Closing it closes the connection. */
  record Response(HttpResponseHead head, InputStream body, HttpCall call) implements Closeable {

    boolean successful() {
      return head.status() >= 200 && head.status() < 300;
    }

    /** Reads the body of an error response, up to {@link #MAX_ERROR_BODY_BYTES}. */
    byte[] errorBody() throws IOException {
      return body.readNBytes(MAX_ERROR_BODY_BYTES);
    }

    @Override
    public void close() throws IOException {
      call.close();
    }
  }

  /** Ends a body after its {@code Content-Length}. */
  private static final class LimitedInputStream extends FilterInputStream {
    private long remaining;

    LimitedInputStream(InputStream input, long length) {
      super(input);
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int count = super.read(buffer, offset, (int) Math.min(length, remaining));
      if (count < 0) {
        throw new EOFException("the Docker Engine closed the connection before the end of the response body");
      }
      remaining -= count;
      return count;
    }
  }
}
