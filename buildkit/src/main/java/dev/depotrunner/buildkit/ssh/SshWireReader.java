package dev.depotrunner.buildkit.ssh;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads the SSH wire types of RFC 4251 section 5 (byte, uint32, string, mpint) from a byte array. */
final class SshWireReader {

  private final byte[] data;
  private int position;

  SshWireReader(byte[] data) {
    this.data = data;
  }

  int remaining() {
    return data.length - position;
  }

  int readByte() throws SshFormatException {
    require(1);
    return data[position++] & 0xff;
  }

  long readUint32() throws SshFormatException {
    require(4);
    long value = 0;
    for (int i = 0; i < 4; i++) {
      value = (value << 8) | (data[position++] & 0xff);
    }
    return value;
  }

  byte[] readString() throws SshFormatException {
    long length = readUint32();
    if (length > remaining()) {
      throw new SshFormatException("a string of " + length + " bytes exceeds the data");
    }
    byte[] value = Arrays.copyOfRange(data, position, position + (int) length);
    position += (int) length;
    return value;
  }

  String readUtf8() throws SshFormatException {
    return new String(readString(), StandardCharsets.UTF_8);
  }

  BigInteger readMpint() throws SshFormatException {
    byte[] value = readString();
    return value.length == 0 ? BigInteger.ZERO : new BigInteger(value);
  }

  private void require(int count) throws SshFormatException {
    if (count < 0 || remaining() < count) {
      throw new SshFormatException("unexpected end of data");
    }
  }

  /** Raised for data that does not follow the SSH wire format. */
  static final class SshFormatException extends Exception {
    SshFormatException(String message) {
      super(message);
    }
  }
}
