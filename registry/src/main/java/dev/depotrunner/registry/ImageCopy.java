package dev.depotrunner.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Copies an image from one registry repository to one or more others. Every manifest keeps its
 * bytes, so each target has the source's digest, and an index keeps all its platform and
 * attestation manifests. Blobs that a target
 * has are skipped, blobs in the same registry are mounted, and the rest upload concurrently.
 *
 * <p>Registries on loopback addresses are reached over HTTP, all others over HTTPS.
 *
 * <pre>{@code
 * CopyResult result = ImageCopy.builder()
 *     .credentials(Credentials.fromEnvironment(System.getenv()))
 *     .listener(event -> ...)
 *     .build()
 *     .copy(ImageName.parse("registry.depot.dev/abc:build"), pullCredential,
 *         List.of(ImageName.parse("127.0.0.1:5000/app:v1")));
 * }</pre>
 */
public final class ImageCopy {

  private final HttpClient http;
  private final Credentials credentials;
  private final Consumer<CopyEvent> listener;
  private final Retrier retrier;
  private final int concurrency;

  private ImageCopy(Builder builder) {
    this.http = builder.http != null ? builder.http : defaultHttpClient();
    this.credentials = builder.credentials;
    this.listener = builder.listener;
    this.retrier = new Retrier(builder.retryPolicy, builder.listener);
    this.concurrency = builder.concurrency;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Copies {@code source} to every one of {@code targets}. A target with a tag gets the tag, one
   * with a digest must name the source's digest.
   *
   * @param sourceCredential credential for the source registry, for example a Depot pull token;
   *     if empty, the source registry's entry in the Docker config is used
   * @throws RegistryAuthenticationException if a registry rejects the credentials
   * @throws RegistryException if the image is not found, a registry fails, or a target has a
   *     different digest after the push
   */
  public CopyResult copy(
      ImageName source, Optional<RegistryCredential> sourceCredential, List<ImageName> targets)
      throws RegistryException, InterruptedException {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("at least one target is required");
    }
    Optional<RegistryCredential> pullCredential =
        sourceCredential.isPresent() ? sourceCredential : credentials.forPull(source.registry());
    RepositorySession sourceSession =
        new RepositorySession(http, source, pullCredential, false, Optional.empty());
    retrier.run(source, "authenticating to " + source.registry(), () -> {
      sourceSession.authenticate();
      return null;
    });

    List<Manifest> manifests = pullManifests(sourceSession);
    Manifest top = manifests.get(manifests.size() - 1);
    Map<String, Descriptor> blobs = collectBlobs(manifests);

    Totals totals = new Totals();
    ExecutorService uploads = Executors.newFixedThreadPool(concurrency, runnable -> {
      Thread thread = new Thread(runnable, "image-copy-upload");
      thread.setDaemon(true);
      return thread;
    });
    try {
      for (ImageName target : targets) {
        RepositorySession targetSession = openTarget(source, target);
        BlobCopy blobCopy =
            new BlobCopy(sourceSession, targetSession, isMountable(source, target), listener);
        copyBlobs(blobCopy, target, blobs.values(), uploads, totals);
        pushManifests(targetSession, manifests, totals);
        pushTop(targetSession, top, totals);
      }
    } finally {
      uploads.shutdownNow();
    }

    return new CopyResult(top.digest(), top.mediaType(), targets, totals.manifests,
        totals.uploaded, totals.bytes, totals.mounted, totals.existing);
  }

  /** Pulls the top manifest and, for an index, every manifest below it, children first. */
  private List<Manifest> pullManifests(RepositorySession session)
      throws RegistryException, InterruptedException {
    ImageName source = session.image();
    Manifest top = pullManifest(session, source.qualifier());
    if (source.digest().isPresent() && !source.digest().get().equals(top.digest())) {
      throw new RegistryException("registry " + source.registry() + " returned a manifest with "
          + "digest " + top.digest() + " for " + source);
    }

    List<Manifest> ordered = new ArrayList<>();
    addChildren(session, top, ordered, 0);
    ordered.add(top);
    return ordered;
  }

  private void addChildren(RepositorySession session, Manifest manifest, List<Manifest> ordered,
      int depth) throws RegistryException, InterruptedException {
    if (!manifest.isIndex()) {
      return;
    }
    if (depth > 4) {
      throw new RegistryException("index " + manifest.digest() + " in " + session.image()
          + " nests more than 4 levels of indexes");
    }
    for (Descriptor child : manifest.references()) {
      Manifest pulled = pullManifest(session, child.digest());
      if (!pulled.digest().equals(child.digest())) {
        throw new RegistryException("registry " + session.image().registry() + " returned "
            + pulled.digest() + " for manifest " + child.digest());
      }
      addChildren(session, pulled, ordered, depth + 1);
      ordered.add(pulled);
    }
  }

  private Manifest pullManifest(RepositorySession session, String qualifier)
      throws RegistryException, InterruptedException {
    ImageName image = session.image();
    String operation = "pulling manifest " + qualifier + " from " + image.registry() + "/"
        + image.repository();
    HttpResponse<byte[]> response = retrier.run(image, operation, () -> {
      URI uri = session.repositoryUri("manifests/" + qualifier);
      HttpRequest.Builder request =
          session.request(uri).GET().header("Accept", String.join(", ", Manifest.SUPPORTED));
      HttpResponse<byte[]> pulled = session.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (pulled.statusCode() == 404) {
        throw new RegistryException("manifest " + qualifier + " not found in " + image.registry()
            + "/" + image.repository() + "; check the image name and tag");
      }
      if (pulled.statusCode() != 200) {
        throw session.statusError(operation, pulled.statusCode(), new String(pulled.body()));
      }
      return pulled;
    });

    String contentType = response.headers().firstValue("Content-Type").orElse("");
    try {
      return Manifest.parse(response.body(), contentType);
    } catch (IllegalArgumentException e) {
      throw new RegistryException(operation + " failed: " + e.getMessage(), e);
    }
  }

  private static Map<String, Descriptor> collectBlobs(List<Manifest> manifests) {
    Map<String, Descriptor> blobs = new LinkedHashMap<>();
    for (Manifest manifest : manifests) {
      if (manifest.isIndex()) {
        continue;
      }
      for (Descriptor blob : manifest.references()) {
        if (!blob.isNonDistributable()) {
          blobs.putIfAbsent(blob.digest(), blob);
        }
      }
    }
    return blobs;
  }

  private RepositorySession openTarget(ImageName source, ImageName target)
      throws RegistryException, InterruptedException {
    Optional<String> mountFrom =
        isMountable(source, target) ? Optional.of(source.repository()) : Optional.empty();
    RepositorySession session = new RepositorySession(
        http, target, credentials.forPush(target.registry()), true, mountFrom);
    retrier.run(target, "authenticating to " + target.registry(), () -> {
      session.authenticate();
      return null;
    });
    return session;
  }

  /** Whether target blobs can be mounted from the source repository: same registry, other repository. */
  private static boolean isMountable(ImageName source, ImageName target) {
    return target.registry().equals(source.registry())
        && !target.repository().equals(source.repository());
  }

  private void copyBlobs(BlobCopy blobCopy, ImageName target, Iterable<Descriptor> blobs,
      ExecutorService uploads, Totals totals) throws RegistryException, InterruptedException {
    List<Future<BlobCopy.Outcome>> pending = new ArrayList<>();
    List<Descriptor> submitted = new ArrayList<>();
    for (Descriptor blob : blobs) {
      String operation = "copying blob " + blob.digest() + " to " + target;
      pending.add(uploads.submit(() -> retrier.run(target, operation, () -> blobCopy.copy(blob))));
      submitted.add(blob);
    }

    try {
      for (int i = 0; i < pending.size(); i++) {
        totals.add(pending.get(i).get(), submitted.get(i));
      }
    } catch (ExecutionException e) {
      pending.forEach(future -> future.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof RegistryException registryException) {
        throw registryException;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IllegalStateException("blob copy to " + target + " failed unexpectedly", cause);
    }
  }

  /** Puts every manifest below the top one by digest, unless the target has it. */
  private void pushManifests(RepositorySession session, List<Manifest> manifests, Totals totals)
      throws RegistryException, InterruptedException {
    for (Manifest manifest : manifests.subList(0, manifests.size() - 1)) {
      if (!hasManifest(session, manifest.digest(), manifest.digest())) {
        putManifest(session, manifest, manifest.digest());
        totals.manifests++;
      }
    }
  }

  /** Puts the top manifest under the target's tag, or its digest, unless it is there already. */
  private void pushTop(RepositorySession session, Manifest top, Totals totals)
      throws RegistryException, InterruptedException {
    ImageName target = session.image();
    if (target.digest().isPresent() && !target.digest().get().equals(top.digest())) {
      throw new RegistryException("target " + target + " names a digest other than the source's "
          + top.digest() + "; name a tag or the source digest");
    }
    String qualifier = target.qualifier();
    if (!hasManifest(session, qualifier, top.digest())) {
      putManifest(session, top, qualifier);
      totals.manifests++;
    }
  }

  private boolean hasManifest(RepositorySession session, String qualifier, String digest)
      throws RegistryException, InterruptedException {
    ImageName target = session.image();
    String operation = "checking manifest " + qualifier + " in " + target;
    return retrier.run(target, operation, () -> {
      URI uri = session.repositoryUri("manifests/" + qualifier);
      HttpRequest.Builder request = session.request(uri)
          .method("HEAD", HttpRequest.BodyPublishers.noBody())
          .header("Accept", String.join(", ", Manifest.SUPPORTED));
      HttpResponse<Void> response = session.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 404) {
        return false;
      }
      if (response.statusCode() != 200) {
        throw session.statusError(operation, response.statusCode(), "");
      }
      return digest.equals(response.headers().firstValue("Docker-Content-Digest").orElse(""));
    });
  }

  private void putManifest(RepositorySession session, Manifest manifest, String qualifier)
      throws RegistryException, InterruptedException {
    ImageName target = session.image();
    String operation = "pushing manifest " + manifest.digest() + " to " + target.registry() + "/"
        + target.repository() + ":" + qualifier;
    String pushed = retrier.run(target, operation, () -> {
      URI uri = session.repositoryUri("manifests/" + qualifier);
      HttpRequest.Builder request = session.request(uri)
          .header("Content-Type", manifest.mediaType())
          .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes()));
      HttpResponse<String> response = session.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw session.statusError(operation, response.statusCode(), response.body());
      }
      return response.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest());
    });

    if (!pushed.equals(manifest.digest())) {
      throw new RegistryException("registry " + target.registry() + " stored manifest "
          + manifest.digest() + " as " + pushed + "; it changed the manifest's bytes");
    }
    listener.accept(new CopyEvent.ManifestPushed(target, manifest.digest(), manifest.mediaType()));
  }

  private static HttpClient defaultHttpClient() {
    // HTTP/1.1 because an HTTP/2 upgrade attempt on plain-HTTP registries only adds a round trip.
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Counts per outcome, summed over all targets; updated only by the calling thread. */
  private static final class Totals {
    int manifests;
    int uploaded;
    long bytes;
    int mounted;
    int existing;

    void add(BlobCopy.Outcome outcome, Descriptor blob) {
      switch (outcome) {
        case UPLOADED -> {
          uploaded++;
          bytes += blob.size();
        }
        case MOUNTED -> mounted++;
        case EXISTED -> existing++;
      }
    }
  }

  /** Options of an {@link ImageCopy}. */
  public static final class Builder {

    private HttpClient http;
    private Credentials credentials = Credentials.fromEnvironment(Map.of());
    private Consumer<CopyEvent> listener = event -> {};
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private int concurrency = 4;

    private Builder() {}

    /**
     * Sets the HTTP client, which the caller owns. It must not follow redirects, because the
     * copy follows blob redirects itself without the registry's Authorization header. Default:
     * an HTTP/1.1 client without redirects.
     */
    public Builder httpClient(HttpClient http) {
      this.http = Objects.requireNonNull(http);
      return this;
    }

    /** Sets where target credentials (and source ones, if none is given) come from. */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials);
      return this;
    }

    /** Sets the receiver of progress events; it is called from several threads. */
    public Builder listener(Consumer<CopyEvent> listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy);
      return this;
    }

    /** Sets how many blobs upload at the same time (default 4). */
    public Builder concurrency(int concurrency) {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
      }
      this.concurrency = concurrency;
      return this;
    }

    public ImageCopy build() {
      return new ImageCopy(this);
    }
  }
}
