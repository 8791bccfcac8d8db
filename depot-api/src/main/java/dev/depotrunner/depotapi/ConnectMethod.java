package dev.depotrunner.depotapi;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Objects;

/**
 * One RPC of a Connect service: its full service name, method name and message types. A typed service
 * wrapper declares one constant per method, and the loopback control plane registers its handlers
 * under the same constants.
 *
 * @param service the full protobuf name of the service, such as {@code depot.cli.v1.BuildService}
 * @param name the method name, such as {@code CreateBuild}
 * @param requestParser parses the request message, for servers
 * @param responseParser parses the response message, for clients
 */
public record ConnectMethod<Q extends Message, R extends Message>(
    String service, String name, Parser<Q> requestParser, Parser<R> responseParser) {

  public ConnectMethod {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(requestParser, "requestParser");
    Objects.requireNonNull(responseParser, "responseParser");
  }

  /** Describes a method from the default instances of its request and response messages. */
  @SuppressWarnings("unchecked")
  public static <Q extends Message, R extends Message> ConnectMethod<Q, R> of(
      String service, String name, Q requestPrototype, R responsePrototype) {
    return new ConnectMethod<>(
        service,
        name,
        (Parser<Q>) requestPrototype.getParserForType(),
        (Parser<R>) responsePrototype.getParserForType());
  }

  /** Returns the HTTP path the method is served at: {@code /<service>/<method>}. */
  public String path() {
    return "/" + service + "/" + name;
  }

  /** Returns {@code Service.Method} with the short service name, for messages. */
  public String displayName() {
    return service.substring(service.lastIndexOf('.') + 1) + "." + name;
  }

  @Override
  public String toString() {
    return service + "/" + name;
  }
}
