package dev.depotrunner.registry;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.time.Duration;
import java.util.function.Consumer;

/** Runs registry calls again after transient failures, as a {@link RetryPolicy} allows. */
final class Retrier {

  private static final System.Logger LOG = System.getLogger(Retrier.class.getName());

  /** A registry call. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws IOException, InterruptedException, RegistryException;
  }

  private final RetryPolicy policy;
  private final Consumer<CopyEvent> listener;

  Retrier(RetryPolicy policy, Consumer<CopyEvent> listener) {
    this.policy = policy;
    this.listener = listener;
  }

  /**
   * Runs {@code call}, and again after a 429 or 5xx status or a broken connection, until it
   * succeeds or the policy's attempts are used up. {@code operation} names the call in events
   * and errors, for example "uploading sha256:ab12... to 127.0.0.1:5001/app".
   */
  <T> T run(ImageName target, String operation, Call<T> call)
      throws RegistryException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      Exception failure;
      try {
        return call.run();
      } catch (RegistryStatusException e) {
        if (!e.isTransient()) {
          throw e;
        }
        failure = e;
      } catch (IOException e) {
        if (!isTransient(e)) {
          throw new RegistryException(operation + " failed: " + describe(e), e);
        }
        failure = e;
      }

      if (attempt >= policy.maxAttempts()) {
        String message = failure instanceof RegistryException
            ? failure.getMessage() + " (gave up after " + attempt + " attempts)"
            : operation + " failed after " + attempt + " attempts: " + describe(failure);
        throw new RegistryException(message, failure);
      }
      Duration delay = policy.delayAfter(attempt);
      LOG.log(Level.DEBUG, "{0} failed on attempt {1}, retrying in {2} ms: {3}",
          operation, attempt, delay.toMillis(), describe(failure));
      listener.accept(
          new CopyEvent.Retrying(target, operation, attempt, delay, describe(failure)));
      Thread.sleep(delay.toMillis());
    }
  }

  /**
   * Whether an I/O failure may pass: a reset or closed connection or a timeout. A refused
   * connection counts as permanent, because a registry that is not listening rarely starts
   * within the few seconds the retries wait.
   */
  static boolean isTransient(IOException e) {
    return !(e instanceof ConnectException);
  }

  private static String describe(Exception e) {
    if (e instanceof RegistryException) {
      return e.getMessage();
    }
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
