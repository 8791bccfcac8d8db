package dev.depotrunner.steps.build;

import dev.depotrunner.buildkit.auth.CredentialsException;
import dev.depotrunner.buildkit.auth.DockerConfig;
import dev.depotrunner.buildkit.auth.RegistryCredentials;
import dev.depotrunner.buildkit.progress.SolveStatus;
import dev.depotrunner.buildkit.progress.VertexProgress;
import dev.depotrunner.buildkit.progress.VertexState;
import dev.depotrunner.buildkit.transport.BuilderEndpoint;
import dev.depotrunner.buildkit.transport.TlsConfig;
import dev.depotrunner.engine.DockerEngineClient;
import dev.depotrunner.engine.EngineConnector;
import dev.depotrunner.engine.ImageLoad;
import dev.depotrunner.engine.JsonMessage;
import dev.depotrunner.engine.RegistryAuth;
import dev.depotrunner.engine.tls.PemFiles.TlsFileException;
import dev.depotrunner.engine.tls.SslContexts;
import dev.depotrunner.steps.build.options.ImageReference;
import dev.depotrunner.steps.build.options.InvalidOptionException;
import dev.depotrunner.steps.events.BuildEvent;
import dev.depotrunner.steps.events.BuildEventListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The parts of a build that go through the Docker Engine API, as buildx does them for its docker and
 * remote drivers: loading the {@code docker} tarball into the engine {@code DOCKER_HOST} names, and
 * pushing from a Docker Engine builder whose image store cannot push from the exporter.
 */
final class EngineTransfers {

  /** The exporter response key of the pushed manifest's digest, which buildx sets after an engine push. */
  static final String IMAGE_DIGEST = "containerimage.digest";
  static final String CONFIG_DIGEST = "containerimage.config.digest";

  private final BuildEventListener listener;
  private final Map<String, String> environment;
  private final Map<Integer, LazyLoad> loads = new LinkedHashMap<>();

  EngineTransfers(BuildEventListener listener, Map<String, String> environment) {
    this.listener = listener;
    this.environment = environment;
  }

  /** Returns the Docker Engine that {@code DOCKER_HOST} names, else the local socket. */
  static BuilderEndpoint dockerHost(Map<String, String> environment) {
    return BuilderEndpoint.parse("docker://", environment);
  }

  /** Returns whether two addresses reach the same engine: the same socket, or the same host and port. */
  static boolean sameEngine(BuilderEndpoint first, BuilderEndpoint second) {
    return first.kind() == second.kind()
        && first.socketPath().equals(second.socketPath())
        && first.host().equals(second.host())
        && first.port() == second.port();
  }

  /**
   * Returns the stream that receives the tarball of exporter {@code index} and loads it into the
   * {@code DOCKER_HOST} engine. The upload starts with the first byte, so a build that fails before
   * exporting leaves the engine untouched.
   */
  OutputStream loadTarget(int index) throws BuildStepException {
    var load = new LazyLoad(client(dockerHost(environment)));
    loads.put(index, load);
    return load;
  }

  /**
   * Ends the uploads after the Solve and waits for the engine to load them.
   *
   * @throws BuildStepException if the engine rejects an archive, or the builder sent none
   */
  void finishLoads() throws BuildStepException {
    for (LazyLoad load : loads.values()) {
      List<String> output;
      try {
        output = load.finish();
      } catch (IOException e) {
        throw BuildStepException.of(e.getMessage(), e);
      }
      output.forEach(line -> listener.onEvent(new BuildEvent.Notice(BuildStep.DEFAULT_TARGET, BuildEvent.Level.INFO, line)));
    }
  }

  /** Breaks off the uploads of a failed build, so the engine loads nothing. */
  void abortLoads() {
    for (LazyLoad load : loads.values()) {
      load.abort();
    }
  }

  /**
   * Pushes each name from the builder's image store through its Engine API and records the first name's
   * digest in the exporter response as buildx does: {@code containerimage.digest} becomes the pushed
   * manifest's digest, and {@code containerimage.config.digest} keeps the image id when the builder did
   * not set it.
   */
  void push(List<String> names, BuilderEndpoint builder, Map<String, String> exporterResponse) throws BuildStepException {
    if (names.isEmpty()) {
      return;
    }
    DockerEngineClient client = client(builder);
    String firstDigest = null;
    for (String name : names) {
      String digest = pushOne(client, name);
      if (firstDigest == null) {
        firstDigest = digest;
      }
    }

    String imageDigest = exporterResponse.get(IMAGE_DIGEST);
    if (imageDigest != null) {
      exporterResponse.putIfAbsent(CONFIG_DIGEST, imageDigest);
    }
    exporterResponse.put(IMAGE_DIGEST, firstDigest);
  }

  private String pushOne(DockerEngineClient client, String name) throws BuildStepException {
    ImageReference reference;
    try {
      reference = ImageReference.parse(name).withDefaultTag();
    } catch (InvalidOptionException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
    if (reference.tag().isEmpty()) {
      throw BuildStepException.of("--push: " + name + " names a digest; the engine pushes tags only, so tag the image", null);
    }

    var progress = new PushProgress(name);
    progress.start();
    try {
      String digest = client.pushImage(reference.name(), reference.tag().get(), registryAuth(reference), progress::accept);
      progress.complete("");
      return digest;
    } catch (IOException e) {
      progress.complete(e.getMessage());
      throw BuildStepException.of(e.getMessage(), e);
    }
  }

  private RegistryAuth registryAuth(ImageReference reference) throws BuildStepException {
    String host = reference.normalized().domain();
    RegistryCredentials credentials;
    try {
      credentials = DockerConfig.load(environment).credentials(host);
    } catch (CredentialsException e) {
      throw BuildStepException.of(e.getMessage(), e);
    }
    String serverAddress = host.equals("docker.io") ? "https://index.docker.io/v1/" : host;
    return new RegistryAuth(
        credentials.username(), credentials.password(), serverAddress, credentials.identityToken(), credentials.registryToken());
  }

  /** Builds a client for a Docker Engine address, with its TLS files read now. */
  static DockerEngineClient client(BuilderEndpoint endpoint) throws BuildStepException {
    if (endpoint.socketPath().isPresent()) {
      return new DockerEngineClient(EngineConnector.unixSocket(endpoint.socketPath().get()));
    }
    String host = endpoint.host().orElseThrow();
    if (endpoint.tls().isEmpty()) {
      return new DockerEngineClient(EngineConnector.tcp(host, endpoint.port()));
    }

    TlsConfig tls = endpoint.tls().get();
    Path certificate = tls.clientCertificate().orElse(null);
    Path key = tls.clientKey().orElse(null);
    if (certificate != null && !Files.exists(certificate) && !Files.exists(key)) {
      // As the docker CLI does, a certificate folder without a client pair means no client certificate.
      certificate = null;
      key = null;
    }
    SSLContext context;
    try {
      context = SslContexts.forClient(tls.caCertificate().orElse(null), certificate, key, tls.verifyServer());
    } catch (TlsFileException | GeneralSecurityException e) {
      throw BuildStepException.of("failed to set up TLS for the Docker Engine at " + endpoint + ": " + e.getMessage(), e);
    }
    String serverName = tls.serverName().orElse(host);
    return new DockerEngineClient(EngineConnector.tls(host, endpoint.port(), context, serverName, tls.verifyServer()));
  }

  /** An upload into {@code POST /images/load} that opens with the first byte written. */
  private static final class LazyLoad extends OutputStream {
    private final DockerEngineClient client;
    private ImageLoad load;
    private boolean closed;

    LazyLoad(DockerEngineClient client) {
      this.client = client;
    }

    @Override
    public synchronized void write(int value) throws IOException {
      write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] buffer, int offset, int length) throws IOException {
      if (closed) {
        throw new IOException("the image load was broken off");
      }
      if (load == null) {
        load = client.startLoad();
      }
      load.archive().write(buffer, offset, length);
    }

    @Override
    public synchronized void flush() throws IOException {
      if (load != null) {
        load.archive().flush();
      }
    }

    synchronized List<String> finish() throws IOException {
      if (load == null) {
        throw new IOException("--load: the builder sent no image to load into the Docker Engine at " + client.connector());
      }
      closed = true;
      try (ImageLoad finishing = load) {
        return finishing.finish();
      }
    }

    synchronized void abort() {
      closed = true;
      if (load != null) {
        try {
          load.close();
        } catch (IOException e) {
          // The build already failed; its error is the one worth reporting.
        }
      }
    }
  }

  /** Reports an engine push as one vertex with a task per layer, as buildx shows it. */
  private final class PushProgress {
    private final String vertex;
    private final String name;
    private final Instant started = Instant.now();
    private final Map<String, Instant> layerStarts = new LinkedHashMap<>();

    PushProgress(String reference) {
      this.vertex = "engine-push:" + reference;
      this.name = "pushing " + reference + " with docker";
    }

    void start() {
      emit(List.of(state(null, "")), List.of());
    }

    void accept(JsonMessage message) {
      boolean pushed = message.status().equals("Pushed") || message.status().equals("Layer already exists");
      if (message.id().isEmpty() || (message.progress().isEmpty() && !pushed)) {
        return;
      }
      String task = "pushing layer " + message.id();
      Instant now = Instant.now();
      Instant taskStart = layerStarts.computeIfAbsent(task, key -> now);
      long current = pushed ? message.total() : message.current();
      var status = new VertexProgress(task, vertex, "", current, message.total(), now, taskStart, pushed ? now : null);
      emit(List.of(), List.of(status));
    }

    void complete(String error) {
      emit(List.of(state(Instant.now(), error)), List.of());
    }

    private VertexState state(Instant completed, String error) {
      return new VertexState(vertex, List.of(), name, false, started, completed, error, null);
    }

    private void emit(List<VertexState> vertexes, List<VertexProgress> statuses) {
      listener.onEvent(new BuildEvent.Progress(BuildStep.DEFAULT_TARGET, new SolveStatus(vertexes, statuses, List.of(), List.of())));
    }
  }
}
