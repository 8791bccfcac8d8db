package dev.depotrunner.oidc;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Sends the HTTP requests of this package and turns transport failures into one-line errors. */
final class HttpCalls {

  private static final int MAX_QUOTED_BODY = 200;

  private final HttpClient client;
  private final Duration timeout;

  /**
   * @param client the caller's client; it should have a connect timeout
   * @param timeout the limit on each request, from sending to the whole response body
   */
  HttpCalls(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** Returns a request builder with this client's timeout set. */
  HttpRequest.Builder request(java.net.URI uri) {
    return HttpRequest.newBuilder(uri).timeout(timeout);
  }

  /**
   * Sends the request and returns the response of any status.
   *
   * @param operation what the request does, for messages, such as "the GitHub Actions ID token
   *     request to pipelines.actions.githubusercontent.com"
   */
  HttpResponse<String> send(HttpRequest request, String operation) throws IdentityException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new IdentityException(operation + " timed out after " + describe(timeout)
          + "; check the network path to " + request.uri().getHost(), e);
    } catch (IOException e) {
      throw new IdentityException(operation + " failed: " + reason(e) + "; check the network path"
          + " to " + request.uri().getHost(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdentityException(operation + " was interrupted", e);
    }
  }

  /** Names the failure by the first message in its cause chain; the JDK leaves some empty. */
  private static String reason(IOException error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
    }
    return error.getClass().getSimpleName();
  }

  /** Formats a timeout as whole seconds, or as milliseconds when it is not a whole second. */
  static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /**
   * Returns the start of a response body on one line, for an error message. The caller removes any
   * token it sent, in case the server echoes it.
   */
  static String quote(String body, String sentToken) {
    String text = body.replace(sentToken, "(token)").replaceAll("\\s+", " ").strip();
    if (text.length() > MAX_QUOTED_BODY) {
      text = text.substring(0, MAX_QUOTED_BODY) + "...";
    }
    return text;
  }
}
