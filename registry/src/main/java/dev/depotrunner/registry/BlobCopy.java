package dev.depotrunner.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies one blob from a source repository to a target repository. A blob that the target has
 * (HEAD) is skipped, and one in the same registry is mounted. Any other blob streams from the
 * source GET into a monolithic upload: POST, then PUT with the digest.
 */
final class BlobCopy {

  /** The way a blob reached the target. */
  enum Outcome {
    EXISTED,
    MOUNTED,
    UPLOADED
  }

  /** Bytes between two progress events of one upload. */
  private static final long PROGRESS_INTERVAL = 1 << 20;

  private final RepositorySession source;
  private final RepositorySession target;
  private final boolean mount;
  private final Consumer<CopyEvent> listener;

  BlobCopy(
      RepositorySession source,
      RepositorySession target,
      boolean mount,
      Consumer<CopyEvent> listener) {
    this.source = source;
    this.target = target;
    this.mount = mount;
    this.listener = listener;
  }

  Outcome copy(Descriptor blob) throws IOException, InterruptedException, RegistryException {
    ImageName name = target.image();
    if (exists(blob)) {
      listener.accept(new CopyEvent.BlobSkipped(
          name, blob.digest(), blob.size(), CopyEvent.BlobSkipped.Reason.EXISTS));
      return Outcome.EXISTED;
    }

    HttpResponse<String> started = startUpload(blob);
    if (started.statusCode() == 201) {
      listener.accept(new CopyEvent.BlobSkipped(
          name, blob.digest(), blob.size(), CopyEvent.BlobSkipped.Reason.MOUNTED));
      return Outcome.MOUNTED;
    }
    if (started.statusCode() != 202) {
      throw target.statusError("starting the upload of " + blob.digest() + " to " + name,
          started.statusCode(), started.body());
    }
    String location = started.headers().firstValue("Location").orElseThrow(() ->
        new RegistryException("registry " + name.registry() + " started an upload of "
            + blob.digest() + " without a Location header"));

    upload(blob, target.resolve(location));
    return Outcome.UPLOADED;
  }

  private boolean exists(Descriptor blob)
      throws IOException, InterruptedException, RegistryException {
    URI uri = target.repositoryUri("blobs/" + blob.digest());
    HttpResponse<Void> response = target.send(
        target.request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()),
        HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() == 200) {
      return true;
    }
    if (response.statusCode() == 404) {
      return false;
    }
    throw target.statusError("checking " + blob.digest() + " in " + target.image(),
        response.statusCode(), "");
  }

  private HttpResponse<String> startUpload(Descriptor blob)
      throws IOException, InterruptedException, RegistryException {
    String query = "";
    if (mount) {
      query = "?mount=" + encode(blob.digest()) + "&from=" + encode(source.image().repository());
    }
    URI uri = target.repositoryUri("blobs/uploads/" + query);
    return target.send(
        target.request(uri).POST(HttpRequest.BodyPublishers.noBody()),
        HttpResponse.BodyHandlers.ofString());
  }

  private void upload(Descriptor blob, URI location)
      throws IOException, InterruptedException, RegistryException {
    String separator = location.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(location + separator + "digest=" + encode(blob.digest()));

    try (InputStream content = openSource(blob)) {
      InputStream counted = new ProgressStream(content, blob);
      HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
          HttpRequest.BodyPublishers.ofInputStream(() -> counted), blob.size());
      listener.accept(new CopyEvent.BlobProgress(target.image(), blob.digest(), 0, blob.size()));
      HttpResponse<String> response = target.sendOnce(
          target.request(put).header("Content-Type", "application/octet-stream").PUT(body),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 201) {
        throw target.statusError("uploading " + blob.digest() + " to " + target.image(),
            response.statusCode(), response.body());
      }
    }
    listener.accept(
        new CopyEvent.BlobProgress(target.image(), blob.digest(), blob.size(), blob.size()));
  }

  /**
   * Opens the source blob. A redirect (registries hand blobs to object storage this way) is
   * followed without the registry's Authorization header, which belongs to the registry only.
   */
  private InputStream openSource(Descriptor blob)
      throws IOException, InterruptedException, RegistryException {
    URI uri = source.repositoryUri("blobs/" + blob.digest());
    HttpResponse<InputStream> response =
        source.send(source.request(uri).GET(), HttpResponse.BodyHandlers.ofInputStream());
    for (int redirects = 0; isRedirect(response.statusCode()) && redirects < 5; redirects++) {
      response.body().close();
      URI next = uri.resolve(response.headers().firstValue("Location").orElseThrow(() ->
          new RegistryException("registry " + source.image().registry()
              + " redirected the download of " + blob.digest() + " without a Location header")));
      response = source.sendUnauthenticated(next, HttpResponse.BodyHandlers.ofInputStream());
      uri = next;
    }
    if (response.statusCode() != 200) {
      String body;
      try (InputStream error = response.body()) {
        body = new String(error.readNBytes(4096), StandardCharsets.UTF_8);
      }
      throw source.statusError("downloading " + blob.digest() + " from " + source.image(),
          response.statusCode(), body);
    }
    return response.body();
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** Counts the bytes read for the upload and reports them every {@link #PROGRESS_INTERVAL}. */
  private final class ProgressStream extends FilterInputStream {

    private final Descriptor blob;
    private long sent;
    private long reported;

    ProgressStream(InputStream in, Descriptor blob) {
      super(in);
      this.blob = blob;
    }

    @Override
    public int read() throws IOException {
      int value = super.read();
      if (value >= 0) {
        advance(1);
      }
      return value;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int count = super.read(buffer, offset, length);
      if (count > 0) {
        advance(count);
      }
      return count;
    }

    private void advance(int count) {
      sent += count;
      if (sent - reported >= PROGRESS_INTERVAL && sent < blob.size()) {
        reported = sent;
        listener.accept(
            new CopyEvent.BlobProgress(target.image(), blob.digest(), sent, blob.size()));
      }
    }
  }
}
