package dev.depotrunner.buildkit.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A connection to an ssh-agent socket that passes on only listing identities and signing, like
 * BuildKit's read-only agent wrapper: the builder may use the keys but not add, remove or lock
 * them, nor call extensions. Other requests get SSH_AGENT_FAILURE without reaching the agent.
 */
final class SocketAgent implements Agent {

  private final Path path;
  private final SocketChannel channel;

  private SocketAgent(Path path, SocketChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  static SocketAgent connect(Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      channel.close();
      throw new IOException("failed to connect to ssh agent " + path + ": " + e.getMessage(), e);
    }
    return new SocketAgent(path, channel);
  }

  @Override
  public byte[] handle(byte[] request) throws IOException {
    if (request.length == 0) {
      return AgentProtocol.failure();
    }
    int type = request[0] & 0xff;
    if (type != AgentProtocol.REQUEST_IDENTITIES && type != AgentProtocol.SIGN_REQUEST) {
      return AgentProtocol.failure();
    }

    ByteBuffer frame = ByteBuffer.allocate(4 + request.length);
    frame.putInt(request.length).put(request).flip();
    while (frame.hasRemaining()) {
      channel.write(frame);
    }

    ByteBuffer header = readFully(4);
    int length = header.getInt();
    if (length < 0 || length > AgentProtocol.MAX_MESSAGE_BYTES) {
      throw new IOException("ssh agent " + path + " sent a message of invalid length " + length);
    }
    return readFully(length).array();
  }

  private ByteBuffer readFully(int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("ssh agent " + path + " closed the connection");
      }
    }
    return buffer.flip();
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // The connection is discarded either way.
    }
  }
}
