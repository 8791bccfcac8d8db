package dev.depotrunner.engine.tls;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Reads the few DER (ITU-T X.690) elements that PEM private keys use: SEQUENCE, INTEGER, OCTET
 * STRING, BIT STRING, OBJECT IDENTIFIER and explicit context-specific tags.
 */
public final class DerReader {

  public static final int SEQUENCE = 0x30;
  public static final int INTEGER = 0x02;
  public static final int OCTET_STRING = 0x04;
  public static final int BIT_STRING = 0x03;
  public static final int OBJECT_IDENTIFIER = 0x06;

  private final byte[] data;
  private int position;
  private final int end;

  public DerReader(byte[] data) {
    this(data, 0, data.length);
  }

  private DerReader(byte[] data, int start, int end) {
    this.data = data;
    this.position = start;
    this.end = end;
  }

  public boolean hasMore() {
    return position < end;
  }

  /** Returns the tag of the next element without consuming it, or -1 at the end. */
  public int peekTag() {
    return hasMore() ? data[position] & 0xff : -1;
  }

  /** Reads an element with the given tag and returns a reader over its contents. */
  public DerReader read(int tag) throws DerException {
    int actual = peekTag();
    if (actual != tag) {
      throw new DerException(
          String.format("expected DER tag 0x%02x, found 0x%02x", tag, actual));
    }
    position++;
    int length = readLength();
    if (length > end - position) {
      throw new DerException("a DER element exceeds the data");
    }
    var contents = new DerReader(data, position, position + length);
    position += length;
    return contents;
  }

  public BigInteger readInteger() throws DerException {
    DerReader contents = read(INTEGER);
    if (!contents.hasMore()) {
      throw new DerException("empty DER integer");
    }
    return new BigInteger(contents.remainingBytes());
  }

  public byte[] readOctetString() throws DerException {
    return read(OCTET_STRING).remainingBytes();
  }

  /** Reads a BIT STRING whose length is a whole number of bytes, as keys use. */
  public byte[] readBitString() throws DerException {
    byte[] contents = read(BIT_STRING).remainingBytes();
    if (contents.length == 0 || contents[0] != 0) {
      throw new DerException("a DER bit string with unused bits");
    }
    return Arrays.copyOfRange(contents, 1, contents.length);
  }

  /** Reads an OBJECT IDENTIFIER in dotted form, such as {@code 1.2.840.10045.2.1}. */
  public String readObjectIdentifier() throws DerException {
    byte[] contents = read(OBJECT_IDENTIFIER).remainingBytes();
    if (contents.length == 0) {
      throw new DerException("empty DER object identifier");
    }

    var text = new StringBuilder();
    long value = 0;
    boolean first = true;
    for (byte b : contents) {
      value = (value << 7) | (b & 0x7f);
      if ((b & 0x80) != 0) {
        if (value > (Long.MAX_VALUE >> 7)) {
          throw new DerException("DER object identifier component too large");
        }
        continue;
      }
      if (first) {
        long root = Math.min(value / 40, 2);
        text.append(root).append('.').append(value - root * 40);
        first = false;
      } else {
        text.append('.').append(value);
      }
      value = 0;
    }
    return text.toString();
  }

  /** Reads an element with the given tag and returns it whole, with its tag and length bytes. */
  public byte[] readElement(int tag) throws DerException {
    int start = position;
    read(tag);
    return Arrays.copyOfRange(data, start, position);
  }

  private byte[] remainingBytes() {
    byte[] bytes = Arrays.copyOfRange(data, position, end);
    position = end;
    return bytes;
  }

  private int readLength() throws DerException {
    if (!hasMore()) {
      throw new DerException("missing DER length");
    }
    int first = data[position++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int count = first & 0x7f;
    if (count == 0 || count > 3) {
      throw new DerException("unsupported DER length");
    }
    int length = 0;
    for (int i = 0; i < count; i++) {
      if (!hasMore()) {
        throw new DerException("truncated DER length");
      }
      length = (length << 8) | (data[position++] & 0xff);
    }
    return length;
  }

  /** Raised for data that is not the expected DER structure. */
  public static final class DerException extends Exception {
    public DerException(String message) {
      super(message);
    }
  }
}
