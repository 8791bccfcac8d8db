package dev.depotrunner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void delayDoublesUpToMaximum() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(500));

    assertEquals(Duration.ofMillis(100), policy.delayAfter(1));
    assertEquals(Duration.ofMillis(200), policy.delayAfter(2));
    assertEquals(Duration.ofMillis(400), policy.delayAfter(3));
    assertEquals(Duration.ofMillis(500), policy.delayAfter(4));
    assertEquals(Duration.ofMillis(500), policy.delayAfter(40));
  }

  @Test
  void zeroAttemptsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
  }
}
