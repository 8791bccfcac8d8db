package dev.depotrunner.registry;

import java.time.Duration;

/**
 * How often a registry request that failed with 429, a 5xx status or a broken connection runs
 * again: at most {@code maxAttempts} in all, waiting {@code initialDelay}, then twice as long
 * each time, up to {@code maxDelay}.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "expected 0 <= initialDelay <= maxDelay, got " + initialDelay + " and " + maxDelay);
    }
  }

  /** Five attempts, waiting 0.5, 1, 2 and 4 s between them. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8));
  }

  /** The wait before attempt {@code attempt + 1}, for {@code attempt >= 1}. */
  Duration delayAfter(int attempt) {
    long factor = 1L << Math.min(attempt - 1, 30);
    Duration delay = initialDelay.multipliedBy(factor);
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
