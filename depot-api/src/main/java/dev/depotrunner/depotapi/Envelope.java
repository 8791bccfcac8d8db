package dev.depotrunner.depotapi;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The framing of a Connect stream: each message is preceded by one flags byte and a four-byte
 * big-endian length. Flag {@link #COMPRESSED} marks a compressed payload, and {@link #END_STREAM} the
 * final JSON message that carries the stream's error and trailers.
 *
 * @param flags the flags byte
 * @param payload the message bytes
 */
public record Envelope(int flags, byte[] payload) {

  public static final int COMPRESSED = 0x01;
  public static final int END_STREAM = 0x02;

  /** The largest message accepted; Connect leaves the limit to each implementation. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

  public boolean endStream() {
    return (flags & END_STREAM) != 0;
  }

  public boolean compressed() {
    return (flags & COMPRESSED) != 0;
  }

  /** Writes the envelope to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    int length = payload.length;
    out.write(flags);
    out.write(length >>> 24);
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
    out.write(payload);
  }

  /** Returns the envelope's bytes. */
  public byte[] toBytes() {
    var out = new ByteArrayOutputStream(payload.length + 5);
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new AssertionError("a ByteArrayOutputStream does not fail", e);
    }
    return out.toByteArray();
  }

  /**
   * Reads the next envelope, or returns null when the stream ends cleanly before one starts.
   *
   * @throws EOFException if the stream ends inside an envelope
   * @throws IOException if the length exceeds {@link #MAX_PAYLOAD_BYTES} or reading fails
   */
  public static Envelope read(InputStream in) throws IOException {
    int flags = in.read();
    if (flags < 0) {
      return null;
    }
    byte[] header = in.readNBytes(4);
    if (header.length < 4) {
      throw new EOFException("the stream ended inside an envelope header");
    }
    long length = ((header[0] & 0xffL) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
    if (length > MAX_PAYLOAD_BYTES) {
      throw new IOException("an envelope of " + length + " bytes exceeds the limit of " + MAX_PAYLOAD_BYTES);
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new EOFException("the stream ended inside a message of " + length + " bytes");
    }
    return new Envelope(flags, payload);
  }
}
