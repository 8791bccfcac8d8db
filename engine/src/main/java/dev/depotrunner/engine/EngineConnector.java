package dev.depotrunner.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens connections to one Docker Engine API: a unix socket, a TCP port, or a TCP port with TLS.
 * Every request gets its own connection, because the streaming calls hold theirs for as long as the
 * engine sends progress.
 */
public final class EngineConnector {

  /** How long connecting may take before the engine counts as unreachable. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** The Host header for unix sockets, where the engine ignores it; the docker CLI sends the same. */
  private static final String UNIX_SOCKET_HOST = "docker";

  private final Path socketPath;
  private final String host;
  private final int port;
  private final SSLContext tls;
  private final String serverName;
  private final boolean verifyHostName;

  private EngineConnector(
      Path socketPath, String host, int port, SSLContext tls, String serverName, boolean verifyHostName) {
    this.socketPath = socketPath;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.serverName = serverName;
    this.verifyHostName = verifyHostName;
  }

  /** Connects to the engine's unix socket, such as {@code /var/run/docker.sock}. */
  public static EngineConnector unixSocket(Path socketPath) {
    return new EngineConnector(Objects.requireNonNull(socketPath, "socketPath"), null, 0, null, null, false);
  }

  /** Connects to the engine's plain TCP port, such as {@code 127.0.0.1:2375}. */
  public static EngineConnector tcp(String host, int port) {
    return new EngineConnector(null, Objects.requireNonNull(host, "host"), port, null, null, false);
  }

  /**
   * Connects to the engine's TLS port, such as {@code 127.0.0.1:2376}.
   *
   * @param serverName the name the server certificate must carry and the SNI name sent, such as the host
   * @param verifyHostName whether to check {@code serverName} against the certificate; the context's trust
   *     managers decide whether the chain itself is checked
   */
  public static EngineConnector tls(String host, int port, SSLContext tls, String serverName, boolean verifyHostName) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    return new EngineConnector(null, host, port, tls, Objects.requireNonNull(serverName, "serverName"), verifyHostName);
  }

  /** Returns the address in the form of {@code DOCKER_HOST}, such as {@code unix:///var/run/docker.sock}. */
  @Override
  public String toString() {
    if (socketPath != null) {
      return "unix://" + socketPath;
    }
    return "tcp://" + hostAndPort();
  }

  /** Returns the value of the Host header for requests. */
  String hostHeader() {
    return socketPath != null ? UNIX_SOCKET_HOST : hostAndPort();
  }

  private String hostAndPort() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Opens a new connection. */
  EngineSocket open() throws IOException {
    if (socketPath != null) {
      SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
      return new EngineSocket(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
    }

    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      if (tls == null) {
        return new EngineSocket(socket.getInputStream(), socket.getOutputStream(), socket);
      }
      SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, serverName, port, true);
      SSLParameters parameters = secure.getSSLParameters();
      if (!isIpLiteral(serverName)) {
        // SNI carries host names only (RFC 6066, section 3).
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
      }
      if (verifyHostName) {
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
      }
      secure.setSSLParameters(parameters);
      secure.startHandshake();
      return new EngineSocket(secure.getInputStream(), secure.getOutputStream(), secure);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static boolean isIpLiteral(String name) {
    return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
  }

  /** One open connection: its two directions and what closes both. */
  record EngineSocket(InputStream input, OutputStream output, AutoCloseable closer) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        closer.close();
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e.getMessage(), e);
      }
    }
  }
}
