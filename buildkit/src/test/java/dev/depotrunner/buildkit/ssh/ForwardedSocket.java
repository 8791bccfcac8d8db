package dev.depotrunner.buildkit.ssh;

import com.google.protobuf.ByteString;
import dev.depotrunner.buildkit.proto.ssh.BytesMessage;
import dev.depotrunner.buildkit.proto.ssh.SSHGrpc;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The builder's end of SSH forwarding, as BuildKit's sshforward package does it inside a build
 * container: a unix socket whose every connection becomes a ForwardAgent stream carrying the
 * {@code buildkit.ssh.id} header. OpenSSH tools pointed at the socket talk to the forwarded agent.
 */
final class ForwardedSocket implements AutoCloseable {

  private final ServerSocketChannel server;
  private final Thread acceptor;

  ForwardedSocket(Path socket, Channel channel, String id) throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));

    Metadata headers = new Metadata();
    headers.put(SshAgentProvider.ID_HEADER, id);
    SSHGrpc.SSHStub stub =
        SSHGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));

    acceptor = new Thread(() -> acceptLoop(stub), "forwarded-socket");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop(SSHGrpc.SSHStub stub) {
    while (server.isOpen()) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (IOException e) {
        return;
      }
      StreamObserver<BytesMessage> requests = stub.forwardAgent(new SocketWriter(connection));
      Thread reader = new Thread(() -> copyToStream(connection, requests), "forwarded-connection");
      reader.setDaemon(true);
      reader.start();
    }
  }

  private static void copyToStream(SocketChannel connection, StreamObserver<BytesMessage> requests) {
    ByteBuffer buffer = ByteBuffer.allocate(32 * 1024);
    try {
      while (connection.read(buffer) >= 0) {
        buffer.flip();
        requests.onNext(BytesMessage.newBuilder().setData(ByteString.copyFrom(buffer)).build());
        buffer.clear();
      }
      requests.onCompleted();
    } catch (IOException e) {
      requests.onError(e);
    }
  }

  /** Writes the stream's responses to the connection and closes it when the stream ends. */
  private static final class SocketWriter implements StreamObserver<BytesMessage> {
    private final SocketChannel connection;

    SocketWriter(SocketChannel connection) {
      this.connection = connection;
    }

    @Override
    public void onNext(BytesMessage message) {
      ByteBuffer data = message.getData().asReadOnlyByteBuffer();
      try {
        while (data.hasRemaining()) {
          connection.write(data);
        }
      } catch (IOException e) {
        close();
      }
    }

    @Override
    public void onError(Throwable t) {
      close();
    }

    @Override
    public void onCompleted() {
      close();
    }

    private void close() {
      try {
        connection.close();
      } catch (IOException e) {
        // Already closed by the client.
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
