package dev.depotrunner.buildkit.ssh;

import dev.depotrunner.buildkit.proto.ssh.BytesMessage;
import dev.depotrunner.buildkit.proto.ssh.CheckAgentRequest;
import dev.depotrunner.buildkit.proto.ssh.CheckAgentResponse;
import dev.depotrunner.buildkit.proto.ssh.SSHGrpc;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session's SSH service ({@code moby.sshforward.v1.SSH}): forwards an ssh-agent to
 * {@code RUN --mount=type=ssh} steps, as buildx's {@code --ssh} flag does.
 *
 * <p>Each id is served by an agent socket, or by an in-memory agent over private key files. Both
 * are read-only to the builder: it may list identities and sign, nothing else. CheckAgent returns
 * NOT_FOUND for an id without a spec, which BuildKit reports as a missing SSH key unless the mount
 * is optional.
 */
public final class SshAgentProvider implements BindableService {

  /** The request header in which BuildKit names the id a ForwardAgent stream is for. */
  static final Metadata.Key<String> ID_HEADER =
      Metadata.Key.of("buildkit.ssh.id", Metadata.ASCII_STRING_MARSHALLER);

  /** Maximum key file size read, as in BuildKit's sshprovider. */
  private static final int MAX_KEY_FILE_BYTES = 100 * 1024;

  /** The S_IFMT bits of a file mode, and their value for a socket. */
  private static final int FILE_TYPE_MASK = 0170000;
  private static final int SOCKET_TYPE = 0140000;

  private static final System.Logger LOG = System.getLogger(SshAgentProvider.class.getName());
  private static final Context.Key<String> FORWARD_ID = Context.key("buildkit.ssh.id");

  private final Map<String, AgentSource> sources;

  private SshAgentProvider(Map<String, AgentSource> sources) {
    this.sources = sources;
  }

  /**
   * Creates the service. Key files are read and parsed now; sockets are connected for each
   * forwarded connection.
   *
   * @param environment the variables to read {@code SSH_AUTH_SOCK} from
   * @throws SshAgentException if an id appears twice, a path is missing, a key file is encrypted
   *     or unsupported, or a spec mixes a socket with key files
   */
  public static SshAgentProvider create(List<SshSpec> specs, Map<String, String> environment)
      throws SshAgentException {
    Map<String, AgentSource> sources = new LinkedHashMap<>();
    for (SshSpec spec : specs) {
      if (sources.containsKey(spec.id())) {
        throw new SshAgentException(
            "ssh id \"" + spec.id() + "\" is given twice; give each --ssh a different id");
      }
      sources.put(spec.id(), resolve(spec, environment));
    }
    return new SshAgentProvider(Map.copyOf(sources));
  }

  /** The ids this service forwards. */
  public Set<String> ids() {
    return sources.keySet();
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerInterceptors.intercept(SSHGrpc.bindService(new Service()), new IdInterceptor());
  }

  private static AgentSource resolve(SshSpec spec, Map<String, String> environment)
      throws SshAgentException {
    List<String> paths = spec.paths();
    if (paths.isEmpty() || (paths.size() == 1 && paths.get(0).isEmpty())) {
      String socket = environment.getOrDefault("SSH_AUTH_SOCK", "");
      if (socket.isEmpty()) {
        throw new SshAgentException(
            "ssh id \""
                + spec.id()
                + "\": SSH_AUTH_SOCK is not set; start an agent (eval \"$(ssh-agent)\" and ssh-add)"
                + " or pass --ssh "
                + spec.id()
                + "=PATH with a socket or key file");
      }
      paths = List.of(socket);
    }

    Path socket = null;
    List<AgentKey> keys = new ArrayList<>();
    for (String name : paths) {
      if (name.isEmpty()) {
        throw new SshAgentException(
            "ssh id \"" + spec.id() + "\": empty path in \"" + spec + "\"; remove the extra comma");
      }
      Path path = Path.of(name);
      if (isSocket(spec, path)) {
        if (socket != null) {
          throw new SshAgentException(
              "ssh id \"" + spec.id() + "\": only one agent socket is allowed, got " + socket + " and " + path);
        }
        socket = path;
      } else {
        keys.addAll(PrivateKeyParser.parse(readKeyFile(spec, path), name));
      }
    }

    if (socket != null && !keys.isEmpty()) {
      throw new SshAgentException(
          "ssh id \"" + spec.id() + "\": cannot combine the agent socket " + socket
              + " with key files; load the keys into the agent with ssh-add instead");
    }
    return socket != null ? new AgentSource.Socket(socket) : new AgentSource.Keys(keys);
  }

  private static boolean isSocket(SshSpec spec, Path path) throws SshAgentException {
    try {
      if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        return (mode & FILE_TYPE_MASK) == SOCKET_TYPE;
      }
      return Files.readAttributes(path, BasicFileAttributes.class).isOther();
    } catch (NoSuchFileException e) {
      throw new SshAgentException(
          "ssh id \"" + spec.id() + "\": " + path + " not found; pass an agent socket or a private key file",
          e);
    } catch (IOException e) {
      throw new SshAgentException("ssh id \"" + spec.id() + "\": failed to stat " + path + ": " + e, e);
    }
  }

  private static byte[] readKeyFile(SshSpec spec, Path path) throws SshAgentException {
    try (InputStream input = Files.newInputStream(path)) {
      return input.readNBytes(MAX_KEY_FILE_BYTES);
    } catch (IOException e) {
      throw new SshAgentException("ssh id \"" + spec.id() + "\": failed to read " + path + ": " + e, e);
    }
  }

  /** Copies the id header of each call into the call's context, where the service reads it. */
  private static final class IdInterceptor implements ServerInterceptor {
    @Override
    public <RequestT, ResponseT> ServerCall.Listener<RequestT> interceptCall(
        ServerCall<RequestT, ResponseT> call,
        Metadata headers,
        ServerCallHandler<RequestT, ResponseT> next) {
      String id = headers.get(ID_HEADER);
      Context context = Context.current().withValue(FORWARD_ID, id == null ? "" : id);
      return Contexts.interceptCall(context, call, headers, next);
    }
  }

  private final class Service extends SSHGrpc.SSHImplBase {

    @Override
    public void checkAgent(
        CheckAgentRequest request, StreamObserver<CheckAgentResponse> responseObserver) {
      String id = request.getID().isEmpty() ? SshSpec.DEFAULT_ID : request.getID();
      if (!sources.containsKey(id)) {
        LOG.log(System.Logger.Level.DEBUG, "ssh id " + id + " requested but not forwarded");
        responseObserver.onError(
            Status.NOT_FOUND
                .withDescription("no ssh agent forwarded for id " + id + "; pass --ssh " + id + "=...")
                .asRuntimeException());
        return;
      }
      responseObserver.onNext(CheckAgentResponse.getDefaultInstance());
      responseObserver.onCompleted();
    }

    @Override
    public StreamObserver<BytesMessage> forwardAgent(StreamObserver<BytesMessage> responseObserver) {
      String requested = FORWARD_ID.get();
      String id = requested == null || requested.isEmpty() ? SshSpec.DEFAULT_ID : requested;

      AgentSource source = sources.get(id);
      Agent agent = null;
      Status failure = null;
      if (source == null) {
        failure =
            Status.NOT_FOUND.withDescription(
                "no ssh agent forwarded for id " + id + "; pass --ssh " + id + "=...");
      } else {
        try {
          agent = source.open();
        } catch (IOException e) {
          LOG.log(System.Logger.Level.WARNING, "ssh forwarding for id " + id + " failed: " + e.getMessage());
          failure = Status.UNAVAILABLE.withDescription(e.getMessage()).withCause(e);
        }
      }
      if (failure != null) {
        responseObserver.onError(failure.asRuntimeException());
        return new DiscardingObserver();
      }

      var forwarding = new AgentForwarding(id, agent, responseObserver);
      if (responseObserver instanceof ServerCallStreamObserver<BytesMessage> serverObserver) {
        serverObserver.setOnCancelHandler(forwarding::cancel);
      }
      return forwarding;
    }
  }

  /** Ignores the requests of a stream that has already failed. */
  private static final class DiscardingObserver implements StreamObserver<BytesMessage> {
    @Override
    public void onNext(BytesMessage value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  /** The agent behind one id: key files in memory, or an agent socket connected per stream. */
  sealed interface AgentSource {
    Agent open() throws IOException;

    record Keys(List<AgentKey> keys) implements AgentSource {
      @Override
      public Agent open() {
        return new KeyringAgent(keys);
      }
    }

    record Socket(Path path) implements AgentSource {
      @Override
      public Agent open() throws IOException {
        return SocketAgent.connect(path);
      }
    }
  }
}
