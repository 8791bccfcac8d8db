package dev.depotrunner.buildkit.transport;

import dev.depotrunner.engine.EngineException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Speaks HTTP/1.1 to a Docker Engine API: plain requests such as {@code GET /version}, and the
 * {@code Upgrade: h2c} requests after which {@code /grpc} and {@code /session} carry HTTP/2. Each
 * request uses its own connection, as the docker CLI does for hijacked ones.
 */
final class DockerEngineClient {

  /** The Host header for unix sockets, where the engine ignores it; the docker CLI sent the same. */
  private static final String UNIX_SOCKET_HOST = "docker";

  // The streaming parser is enough for a few top-level fields, and creating the first ObjectMapper took
  // about a tenth of the CPU samples of a cached build (JFR, JDK 25 with the launcher's AOT cache).
  private static final JsonFactory JSON = new JsonFactory();
  private static final String HANDSHAKE_ERRORS = "handshake-errors";

  private final BuilderEndpoint endpoint;
  private final EventLoops loops;
  private final SslContext ssl;

  DockerEngineClient(BuilderEndpoint endpoint, EventLoops loops, SslContext ssl) {
    this.endpoint = endpoint;
    this.loops = loops;
    this.ssl = ssl;
  }

  /** The engine's response to {@code GET /version}: the engine version and its current API version. */
  record EngineVersion(String version, String apiVersion, String minApiVersion) {}

  /**
   * A failed HTTP exchange: the engine returned an error status. The message contains the
   * engine's own error text.
   */
  static final class EngineResponseException extends IOException {
    private final int status;

    EngineResponseException(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** Reads {@code GET /version}, which every engine serves without an API version prefix. */
  CompletableFuture<EngineVersion> version() {
    return request("GET", "/version")
        .thenApply(
            response -> {
              Map<String, String> fields;
              try {
                fields = topLevelFields(response.body());
              } catch (IOException e) {
                throw new IllegalArgumentException("the engine's /version response is not a JSON object", e);
              }
              return new EngineVersion(
                  fields.getOrDefault("Version", ""),
                  fields.getOrDefault("ApiVersion", ""),
                  fields.getOrDefault("MinAPIVersion", ""));
            });
  }

  /** Sends a request without body and completes with the response, failing on a non-2xx status. */
  CompletableFuture<HttpExchange.Response> request(String method, String path) {
    HttpExchange exchange = HttpExchange.create(method, path, hostHeader(), List.of(), false);
    return connect()
        .thenCompose(
            channel -> {
              channel.pipeline().addLast("http", exchange);
              return exchange.response();
            })
        .thenApply(response -> requireSuccess(method, path, response));
  }

  /**
   * Sends {@code POST path} with {@code Upgrade: h2c}. On {@code 101 Switching Protocols} completes
   * with the channel, auto-read off and the {@link HttpExchange} still in its pipeline, keeping any
   * bytes read past the head; the caller takes them with {@link #takeOver}.
   */
  CompletableFuture<Channel> upgrade(String path, List<Map.Entry<String, String>> headers) {
    HttpExchange exchange = HttpExchange.create("POST", path, hostHeader(), headers, true);
    return connect()
        .thenCompose(
            channel -> {
              channel.pipeline().addLast("http", exchange);
              return exchange
                  .response()
                  .whenComplete((response, error) -> {
                    if (error != null || response.head().status() != 101) {
                      channel.close();
                    }
                  })
                  .thenApply(
                      response -> {
                        if (response.head().status() != 101) {
                          requireSuccess("POST", path, response);
                          throw new CompletionFailure(
                              new EngineResponseException(
                                  response.head().status(),
                                  "POST " + path + " returned HTTP " + response.head().status()
                                      + " instead of switching to h2c"));
                        }
                        return channel;
                      });
            });
  }

  /**
   * Removes the {@link HttpExchange} from an upgraded channel and returns the bytes it held. Runs on
   * the channel's event loop, so no read slips between the two.
   */
  static CompletableFuture<ByteBuf> takeOver(Channel channel) {
    CompletableFuture<ByteBuf> pending = new CompletableFuture<>();
    channel
        .eventLoop()
        .execute(
            () -> {
              HttpExchange exchange = channel.pipeline().get(HttpExchange.class);
              if (exchange == null || !channel.isActive()) {
                pending.completeExceptionally(
                    new IOException("the Docker Engine closed the connection right after the upgrade"));
                return;
              }
              ByteBuf bytes = exchange.takePending();
              channel.pipeline().remove(exchange);
              pending.complete(bytes);
            });
    return pending;
  }

  /** Connects a socket to the engine, with TLS when configured; auto-read is off. */
  CompletableFuture<Channel> connect() {
    SocketAddress address;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loops.sockets())
            .option(ChannelOption.AUTO_READ, false)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) AbstractBuilderConnection.CONNECT_TIMEOUT.toMillis());
    if (endpoint.socketPath().isPresent()) {
      bootstrap.channel(loops.domainSocketChannelType());
      address = loops.domainSocketAddress(endpoint.socketPath().get());
    } else {
      bootstrap
          .channel(loops.socketChannelType())
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, true);
      address = InetSocketAddress.createUnresolved(endpoint.host().orElseThrow(), endpoint.port());
    }

    bootstrap.handler(
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel channel) {
            if (ssl != null) {
              channel.pipeline().addLast("tls", newTlsHandler(channel));
              channel.pipeline().addLast(HANDSHAKE_ERRORS, new HandshakeErrorSink());
            }
          }
        });

    CompletableFuture<Channel> connected = new CompletableFuture<>();
    ChannelFuture connecting = bootstrap.connect(address);
    connecting.addListener(
        future -> {
          if (!future.isSuccess()) {
            connected.completeExceptionally(future.cause());
            return;
          }
          Channel channel = connecting.channel();
          loops.track(channel);
          SslHandler tls = channel.pipeline().get(SslHandler.class);
          if (tls == null) {
            connected.complete(channel);
            return;
          }
          tls.handshakeFuture()
              .addListener(
                  handshake -> {
                    if (handshake.isSuccess()) {
                      channel.pipeline().remove(HANDSHAKE_ERRORS);
                      connected.complete(channel);
                    } else {
                      channel.close();
                      connected.completeExceptionally(handshake.cause());
                    }
                  });
        });
    return connected;
  }

  private SslHandler newTlsHandler(Channel channel) {
    TlsConfig tls = endpoint.tls().orElseThrow();
    String serverName = tls.serverName().orElse(endpoint.host().orElseThrow());
    SslHandler handler = ssl.newHandler(channel.alloc(), serverName, endpoint.port());
    if (tls.verifyServer()) {
      // netty checks the chain only; the host name check is what the docker CLI's Go TLS does too.
      SSLEngine engine = handler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
    }
    return handler;
  }

  private String hostHeader() {
    if (endpoint.socketPath().isPresent()) {
      return UNIX_SOCKET_HOST;
    }
    String host = endpoint.host().orElseThrow();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + endpoint.port();
  }

  private static HttpExchange.Response requireSuccess(
      String method, String path, HttpExchange.Response response) {
    int status = response.head().status();
    if (status >= 200 && status < 300) {
      return response;
    }
    throw new CompletionFailure(
        new EngineResponseException(
            status, method + " " + path + " returned HTTP " + status + ": " + errorMessage(response)));
  }

  /** Returns the engine's error text from an error response. */
  static String errorMessage(HttpExchange.Response response) {
    return EngineException.errorText(response.head(), response.body());
  }

  /**
   * Reads a JSON object's top-level fields as text: scalars as written, nested objects and arrays
   * as empty strings, and null values left out.
   *
   * @throws IOException if {@code json} is not one well-formed JSON object
   */
  static Map<String, String> topLevelFields(byte[] json) throws IOException {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new JsonParseException(parser, "expected a JSON object");
      }
      Map<String, String> fields = new HashMap<>();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value.isStructStart()) {
          parser.skipChildren();
          fields.put(name, "");
        } else if (value == JsonToken.VALUE_NULL) {
          fields.remove(name);
        } else {
          fields.put(name, parser.getText());
        }
      }
      if (token != JsonToken.END_OBJECT) {
        throw new JsonParseException(parser, "the JSON object is incomplete");
      }
      return fields;
    }
  }

  /**
   * Takes the exception a failed TLS handshake fires down the pipeline, which the handshake future
   * already reports, so netty does not log it as unhandled.
   */
  private static final class HandshakeErrorSink extends ChannelInboundHandlerAdapter {
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Carries a checked exception through a CompletableFuture stage. */
  static final class CompletionFailure extends RuntimeException {
    CompletionFailure(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Returns the error a future failed with, without the wrappers futures add. */
  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof java.util.concurrent.ExecutionException
            || current instanceof java.util.concurrent.CompletionException
            || current instanceof CompletionFailure)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
