package dev.depotrunner.buildkit.session;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The client side of a BuildKit session: an identity plus the gRPC services (attachables) that the
 * builder calls back into while it solves (FileSync, Auth, Secrets, SSH, health).
 *
 * <p>A session is attached to a builder connection with {@code BuilderConnection.attach}; the Solve
 * request then names it by {@link #id()}.
 */
public final class Session {

  private final String id;
  private final String name;
  private final String sharedKey;
  private final List<ServerServiceDefinition> services;

  private Session(String id, String name, String sharedKey, List<ServerServiceDefinition> services) {
    this.id = id;
    this.name = name;
    this.sharedKey = sharedKey;
    this.services = List.copyOf(services);
  }

  /** Starts a session description with a random id, as BuildKit's identity.NewID does. */
  public static Builder builder(String name) {
    return new Builder(newId(), name);
  }

  /** Returns a 25-character random identifier in BuildKit's alphabet (lowercase base 36). */
  public static String newId() {
    var random = new SecureRandom();
    var id = new StringBuilder(25);
    String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 25; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** The key that lets builders reuse cached file sync state across sessions of the same context. */
  public String sharedKey() {
    return sharedKey;
  }

  public List<ServerServiceDefinition> services() {
    return services;
  }

  /**
   * Returns the full gRPC method names the session serves, one {@code X-Docker-Expose-Session-Grpc-Method}
   * header each, for example {@code /moby.filesync.v1.FileSync/DiffCopy}.
   */
  public List<String> methodPaths() {
    List<String> paths = new ArrayList<>();
    for (ServerServiceDefinition service : services) {
      for (var method : service.getMethods()) {
        paths.add("/" + method.getMethodDescriptor().getFullMethodName());
      }
    }
    return paths;
  }

  /** Collects the services of a session. */
  public static final class Builder {
    private final String id;
    private final String name;
    private String sharedKey;
    private final List<ServerServiceDefinition> services = new ArrayList<>();

    private Builder(String id, String name) {
      this.id = id;
      this.name = Objects.requireNonNull(name, "name");
      this.sharedKey = HexFormat.of().formatHex(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Builder sharedKey(String sharedKey) {
      this.sharedKey = Objects.requireNonNull(sharedKey, "sharedKey");
      return this;
    }

    public Builder service(BindableService service) {
      services.add(service.bindService());
      return this;
    }

    public Builder service(ServerServiceDefinition service) {
      services.add(service);
      return this;
    }

    public Session build() {
      return new Session(id, name, sharedKey, services);
    }
  }
}
