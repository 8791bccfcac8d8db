package dev.depotrunner.engine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes an HTTP/1.1 body in the chunked transfer coding (RFC 9112, section 7.1): a hex size line,
 * that many bytes and CRLF, repeated until a chunk of size zero and the trailer section. Chunk
 * extensions and trailer fields are read and dropped.
 */
public final class ChunkedInputStream extends InputStream {

  /** Maximum length of a size or trailer line, in bytes. */
  private static final int MAX_LINE_LENGTH = 4096;

  private final InputStream input;
  private long chunkRemaining;
  private boolean ended;

  public ChunkedInputStream(InputStream input) {
    this.input = input;
  }

  /**
   * Decodes a chunked body received so far. Returns null while the last chunk has not arrived, unless
   * {@code endOfStream} says that nothing more will come, in which case returns the data decoded so far.
   *
   * @throws IllegalArgumentException if the bytes are not in the chunked coding
   */
  public static byte[] decode(ByteBuffer body, boolean endOfStream) {
    byte[] bytes = new byte[body.remaining()];
    body.duplicate().get(bytes);
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(bytes.length);
    try (var chunks = new ChunkedInputStream(new ByteArrayInputStream(bytes))) {
      byte[] buffer = new byte[8192];
      int count;
      while ((count = chunks.read(buffer)) >= 0) {
        decoded.write(buffer, 0, count);
      }
      return decoded.toByteArray();
    } catch (EOFException e) {
      return endOfStream ? decoded.toByteArray() : null;
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int count = read(one, 0, 1);
    return count < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (chunkRemaining == 0 && !ended) {
      startChunk();
    }
    if (ended) {
      return -1;
    }

    int count = input.read(buffer, offset, (int) Math.min(length, chunkRemaining));
    if (count < 0) {
      throw new EOFException("the connection closed inside a chunk of the response body");
    }
    chunkRemaining -= count;
    if (chunkRemaining == 0) {
      expectCrlf();
    }
    return count;
  }

  /** Reads the next size line; at the last chunk, reads the trailer section and ends the body. */
  private void startChunk() throws IOException {
    String line = readLine();
    int semicolon = line.indexOf(';');
    String sizeText = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
    try {
      chunkRemaining = Long.parseLong(sizeText, 16);
    } catch (NumberFormatException e) {
      throw new IOException("invalid chunk size \"" + sizeText + "\" in the response body", e);
    }
    if (chunkRemaining < 0) {
      throw new IOException("invalid chunk size \"" + sizeText + "\" in the response body");
    }
    if (chunkRemaining == 0) {
      while (!readLine().isEmpty()) {
        // Trailer fields carry nothing the engine clients use.
      }
      ended = true;
    }
  }

  private void expectCrlf() throws IOException {
    if (!readLine().isEmpty()) {
      throw new IOException("invalid chunked response body: a chunk is longer than its size line");
    }
  }

  private String readLine() throws IOException {
    var line = new StringBuilder();
    while (true) {
      int value = input.read();
      if (value < 0) {
        throw new EOFException("the connection closed inside the chunked response body");
      }
      if (value == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      if (line.length() >= MAX_LINE_LENGTH) {
        throw new IOException("a chunk size line of the response body is longer than " + MAX_LINE_LENGTH + " bytes");
      }
      line.append((char) value);
    }
  }

  @Override
  public void close() throws IOException {
    input.close();
  }
}
