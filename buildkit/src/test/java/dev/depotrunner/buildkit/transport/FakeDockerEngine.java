package dev.depotrunner.buildkit.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on a unix socket that responds to each request head with a fixed response from
 * {@code responder}, for the Docker Engine paths that never reach HTTP/2.
 */
final class FakeDockerEngine implements AutoCloseable {

  final List<String> requests = new CopyOnWriteArrayList<>();
  private final ServerSocketChannel server;
  private final Thread thread;

  FakeDockerEngine(Path socket, Function<String, String> responder) throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    thread =
        new Thread(
            () -> {
              while (server.isOpen()) {
                try (SocketChannel connection = server.accept()) {
                  String head = readHead(connection);
                  requests.add(head);
                  connection.write(ByteBuffer.wrap(responder.apply(head).getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                  return;
                }
              }
            },
            "fake-docker-engine");
    thread.setDaemon(true);
    thread.start();
  }

  static String json(int status, String reason, String body) {
    return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  private static String readHead(SocketChannel connection) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    ByteBuffer oneByte = ByteBuffer.allocate(1);
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      oneByte.clear();
      if (connection.read(oneByte) < 0) {
        break;
      }
      head.write(oneByte.array(), 0, 1);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    thread.join(5000);
  }
}
