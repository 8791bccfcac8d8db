package dev.depotrunner.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.depotrunner.depotapi.ConnectCode;
import dev.depotrunner.depotapi.ConnectMethod;
import dev.depotrunner.depotapi.Envelope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Connect server on loopback (https://connectrpc.com/docs/protocol) over the JDK's HTTP/1.1 server,
 * with binary protobuf messages: unary methods and server streams, one handler per method. It records
 * every call, and can be configured to fail a method with a Connect error before its handler runs.
 */
public final class ConnectServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ConnectServer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final Map<String, Deque<ConnectError>> failures = new ConcurrentHashMap<>();
  private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();

  private ConnectServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on a free port of 127.0.0.1. */
  public static ConnectServer start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "connect-server");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    ConnectServer connect = new ConnectServer(server, executor);
    server.createContext("/", connect::serve);
    server.start();
    LOG.log(System.Logger.Level.DEBUG, "Connect server listening at {0}", connect.url());
    return connect;
  }

  /** Returns the base URL, such as {@code http://127.0.0.1:41234}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves a unary method with {@code handler}, replacing any earlier handler of it. */
  public <Q extends Message, R extends Message> void unary(ConnectMethod<Q, R> method, UnaryHandler<Q, R> handler) {
    routes.put(method.path(), new Route(method, handler, null));
  }

  /** Serves {@code path} with a plain HTTP handler, for Depot endpoints outside Connect. */
  public void http(String path, HttpHandler handler) {
    server.createContext(path, handler);
  }

  /** Serves a server-streaming method with {@code handler}, replacing any earlier handler of it. */
  public <Q extends Message, R extends Message> void serverStream(
      ConnectMethod<Q, R> method, StreamHandler<Q, R> handler) {
    routes.put(method.path(), new Route(method, null, handler));
  }

  /** Makes the next call of {@code method} fail with {@code code}, without running its handler. */
  public void failNext(ConnectMethod<?, ?> method, ConnectCode code, String message) {
    failures.computeIfAbsent(method.path(), path -> new ArrayDeque<>()).add(new ConnectError(code, message));
  }

  /** Makes every call of {@code method} fail with {@code code} until {@link #clearFailures()}. */
  public void failAlways(ConnectMethod<?, ?> method, ConnectCode code, String message) {
    failures.put(method.path(), new AlwaysFailing(new ConnectError(code, message)));
  }

  public void clearFailures() {
    failures.clear();
  }

  /** Returns every call received so far, in order of arrival. */
  public List<RecordedCall> calls() {
    return List.copyOf(calls);
  }

  /** Returns the calls of {@code method} received so far. */
  public List<RecordedCall> calls(ConnectMethod<?, ?> method) {
    return calls.stream().filter(call -> call.path().equals(method.path())).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private record Route(
      ConnectMethod<? extends Message, ? extends Message> method,
      UnaryHandler<? extends Message, ? extends Message> unary,
      StreamHandler<? extends Message, ? extends Message> stream) {}

  private void serve(HttpExchange exchange) {
    try (exchange) {
      dispatch(exchange);
    } catch (IOException | UncheckedIOException e) {
      // The client disconnected mid-response, so the error cannot be sent.
      LOG.log(System.Logger.Level.DEBUG, "Connect call " + exchange.getRequestURI() + " aborted: " + e);
    }
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    CallContext context = new CallContext(lowerCaseHeaders(exchange));
    byte[] body = exchange.getRequestBody().readAllBytes();

    Route route = routes.get(path);
    if (!exchange.getRequestMethod().equals("POST")) {
      sendUnaryError(exchange, new ConnectError(ConnectCode.UNIMPLEMENTED, "only POST is served"), 405);
      return;
    }
    if (route == null) {
      calls.add(new RecordedCall(path, context, null, ConnectCode.UNIMPLEMENTED, Instant.now()));
      sendUnaryError(exchange, new ConnectError(ConnectCode.UNIMPLEMENTED, path + " is not served"), 404);
      return;
    }
    if (route.unary() != null) {
      serveUnary(exchange, route, path, context, body);
    } else {
      serveStream(exchange, route, path, context, body);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void serveUnary(HttpExchange exchange, Route route, String path, CallContext context, byte[] body)
      throws IOException {
    String contentType = context.header("Content-Type").orElse("");
    if (!contentType.startsWith("application/proto")) {
      calls.add(new RecordedCall(path, context, null, ConnectCode.UNKNOWN, Instant.now()));
      sendUnaryError(exchange, new ConnectError(ConnectCode.UNKNOWN, "unsupported Content-Type " + contentType), 415);
      return;
    }

    Message request;
    try {
      request = route.method().requestParser().parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      calls.add(new RecordedCall(path, context, null, ConnectCode.INVALID_ARGUMENT, Instant.now()));
      sendUnaryError(exchange, new ConnectError(ConnectCode.INVALID_ARGUMENT, "invalid request: " + e.getMessage()), -1);
      return;
    }

    Message response;
    try {
      injectedFailure(path);
      response = ((UnaryHandler) route.unary()).handle(request, context);
    } catch (ConnectError error) {
      calls.add(new RecordedCall(path, context, request, error.code(), Instant.now()));
      sendUnaryError(exchange, error, -1);
      return;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "handler of " + path + " failed", e);
      calls.add(new RecordedCall(path, context, request, ConnectCode.INTERNAL, Instant.now()));
      sendUnaryError(exchange, new ConnectError(ConnectCode.INTERNAL, e.toString()), -1);
      return;
    }

    calls.add(new RecordedCall(path, context, request, null, Instant.now()));
    byte[] bytes = response.toByteArray();
    exchange.getResponseHeaders().set("Content-Type", "application/proto");
    exchange.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void serveStream(HttpExchange exchange, Route route, String path, CallContext context, byte[] body)
      throws IOException {
    String contentType = context.header("Content-Type").orElse("");
    if (!contentType.startsWith("application/connect+proto")) {
      calls.add(new RecordedCall(path, context, null, ConnectCode.UNKNOWN, Instant.now()));
      sendUnaryError(exchange, new ConnectError(ConnectCode.UNKNOWN, "unsupported Content-Type " + contentType), 415);
      return;
    }

    Message request = null;
    ConnectError failure = null;
    try {
      Envelope envelope = Envelope.read(new ByteArrayInputStream(body));
      if (envelope == null || envelope.compressed() || envelope.endStream()) {
        failure = new ConnectError(ConnectCode.INVALID_ARGUMENT, "the request is not one uncompressed message");
      } else {
        request = route.method().requestParser().parseFrom(envelope.payload());
      }
    } catch (IOException e) {
      failure = new ConnectError(ConnectCode.INVALID_ARGUMENT, "invalid request: " + e.getMessage());
    }

    exchange.getResponseHeaders().set("Content-Type", "application/connect+proto");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    if (failure == null) {
      try {
        injectedFailure(path);
        Message parsed = request;
        ((StreamHandler) route.stream()).handle(parsed, context, (Object message) -> {
          try {
            new Envelope(0, ((Message) message).toByteArray()).writeTo(out);
            out.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (ConnectError error) {
        failure = error;
      }
    }

    calls.add(new RecordedCall(path, context, request, failure == null ? null : failure.code(), Instant.now()));
    ObjectNode end = JSON.createObjectNode();
    if (failure != null) {
      end.set("error", errorJson(failure));
    }
    new Envelope(Envelope.END_STREAM, JSON.writeValueAsBytes(end)).writeTo(out);
    out.close();
  }

  private void injectedFailure(String path) {
    Deque<ConnectError> queue = failures.get(path);
    if (queue == null) {
      return;
    }
    ConnectError error;
    synchronized (queue) {
      error = queue.poll();
    }
    if (error != null) {
      throw error;
    }
  }

  private static void sendUnaryError(HttpExchange exchange, ConnectError error, int status) throws IOException {
    byte[] body = JSON.writeValueAsBytes(errorJson(error));
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status > 0 ? status : error.code().httpStatus(), body.length);
    exchange.getResponseBody().write(body);
  }

  private static ObjectNode errorJson(ConnectError error) {
    ObjectNode json = JSON.createObjectNode();
    json.put("code", error.code().wireName());
    json.put("message", error.getMessage());
    return json;
  }

  private static Map<String, List<String>> lowerCaseHeaders(HttpExchange exchange) {
    Map<String, List<String>> headers = new TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).addAll(values));
    return headers;
  }

  /** A queue that hands out the same error forever. */
  private static final class AlwaysFailing extends ArrayDeque<ConnectError> {
    private final ConnectError error;

    AlwaysFailing(ConnectError error) {
      this.error = error;
    }

    @Override
    public ConnectError poll() {
      return error;
    }
  }
}
