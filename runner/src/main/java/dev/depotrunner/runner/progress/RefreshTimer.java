package dev.depotrunner.runner.progress;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Calls a renderer's refresh on a daemon thread at a fixed rate, from the first event to close. */
final class RefreshTimer {

  static final long PERIOD_MILLIS = 50;

  private ScheduledExecutorService executor;

  synchronized void start(Runnable refresh) {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "progress-refresh");
              thread.setDaemon(true);
              return thread;
            });
    executor.scheduleAtFixedRate(refresh, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
