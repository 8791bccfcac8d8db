package dev.depotrunner.runner.build;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT and SIGTERM into a cancel while a build or bake runs: a shutdown hook calls the cancel,
 * then holds the JVM open until the run ends or the grace period passes.
 */
final class CancelOnSignal implements AutoCloseable {

  /** How long a signal waits for the builder to acknowledge the cancel before the process exits anyway. */
  private static final long GRACE_SECONDS = 15;

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  CancelOnSignal(Runnable cancel) {
    hook = new Thread(() -> {
      cancel.run();
      try {
        finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "depot-cancel");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Marks the run finished and removes the hook, unless a signal is already running it. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running because of a signal; it ends on its own.
    }
  }
}
