package dev.depotrunner.buildkit.ssh;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Writes the SSH wire types of RFC 4251 section 5 (byte, uint32, string, mpint). */
final class SshWireWriter {

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  SshWireWriter writeByte(int value) {
    output.write(value);
    return this;
  }

  SshWireWriter writeUint32(long value) {
    output.write((int) (value >>> 24));
    output.write((int) (value >>> 16));
    output.write((int) (value >>> 8));
    output.write((int) value);
    return this;
  }

  SshWireWriter writeString(byte[] value) {
    writeUint32(value.length);
    output.writeBytes(value);
    return this;
  }

  SshWireWriter writeString(String value) {
    return writeString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a two's complement integer without redundant leading bytes; zero is an empty string. */
  SshWireWriter writeMpint(BigInteger value) {
    return writeString(value.signum() == 0 ? new byte[0] : value.toByteArray());
  }

  byte[] toByteArray() {
    return output.toByteArray();
  }
}
