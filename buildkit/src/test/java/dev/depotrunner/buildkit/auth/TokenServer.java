package dev.depotrunner.buildkit.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A registry token endpoint on loopback that records each request and returns the reply set for its path. */
final class TokenServer implements AutoCloseable {

  /** A request as the endpoint saw it. */
  record Request(String method, String path, String query, String authorization, String body) {

    Map<String, List<String>> parameters() {
      return parse(method.equals("POST") ? body : query);
    }

    String parameter(String name) {
      List<String> values = parameters().getOrDefault(name, List.of());
      return values.isEmpty() ? null : values.get(0);
    }

    /** Returns the decoded {@code user:password} of a basic Authorization header, or null. */
    String basicCredentials() {
      if (authorization == null || !authorization.startsWith("Basic ")) {
        return null;
      }
      return new String(
          Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
    }
  }

  /** A reply: status, body, and an optional Location header. */
  record Reply(int status, String body, String location) {
    static Reply json(String body) {
      return new Reply(200, body, null);
    }

    static Reply status(int status) {
      return new Reply(status, "{\"errors\":[{\"code\":\"DENIED\"}]}", null);
    }

    static Reply redirect(int status, String location) {
      return new Reply(status, "", location);
    }
  }

  interface Handler {
    Reply handle(Request request);
  }

  private final HttpServer server;
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();

  TokenServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  /** Returns the endpoint URL for a path, on 127.0.0.1. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Returns the endpoint URL for a path under another host name, localhost. */
  String otherHostUrl(String path) {
    return "http://localhost:" + server.getAddress().getPort() + path;
  }

  void handle(String path, Handler handler) {
    handlers.put(path, handler);
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    var request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            exchange.getRequestURI().getRawQuery(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            body);
    requests.add(request);

    Handler handler = handlers.get(request.path());
    Reply reply = handler == null ? Reply.status(404) : handler.handle(request);
    byte[] data = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (reply.location() != null) {
      exchange.getResponseHeaders().set("Location", reply.location());
    }
    exchange.sendResponseHeaders(reply.status(), data.length == 0 ? -1 : data.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(data);
    }
  }

  private static Map<String, List<String>> parse(String encoded) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return parameters;
    }
    for (String pair : encoded.split("&")) {
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      parameters.computeIfAbsent(name, unused -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
