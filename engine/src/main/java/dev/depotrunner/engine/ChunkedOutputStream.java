package dev.depotrunner.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a request body in the chunked transfer coding, so a body of unknown length streams without
 * being held in memory. Each {@link #write} of a non-empty array becomes one chunk; {@link #finish}
 * writes the last chunk without closing the connection underneath.
 */
final class ChunkedOutputStream extends OutputStream {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream output;
  private boolean finished;

  ChunkedOutputStream(OutputStream output) {
    this.output = output;
  }

  @Override
  public void write(int value) throws IOException {
    write(new byte[] {(byte) value}, 0, 1);
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    if (finished) {
      throw new IOException("the request body is already complete");
    }
    if (length == 0) {
      return;
    }
    output.write(Integer.toHexString(length).getBytes(StandardCharsets.US_ASCII));
    output.write(CRLF);
    output.write(buffer, offset, length);
    output.write(CRLF);
  }

  @Override
  public void flush() throws IOException {
    output.flush();
  }

  /** Writes the last chunk and flushes; the connection stays open for the response. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    output.write(LAST_CHUNK);
    output.flush();
  }

  /** Finishes the body; the connection underneath stays open. */
  @Override
  public void close() throws IOException {
    finish();
  }
}
