package dev.depotrunner.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetrierTest {

  private static final ImageName TARGET = ImageName.parse("127.0.0.1:5000/app:v1");
  private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);

  private final List<CopyEvent> events = new ArrayList<>();
  private final Retrier retrier = new Retrier(POLICY, events::add);

  @Test
  void connectionResetRetried() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    String result = retrier.run(TARGET, "pulling", () -> {
      if (calls.incrementAndGet() == 1) {
        throw new SocketException("Connection reset");
      }
      return "done";
    });

    assertEquals("done", result);
    assertEquals(2, calls.get());
    assertEquals(1, events.size());
    assertTrue(((CopyEvent.Retrying) events.get(0)).error().contains("Connection reset"));
  }

  @Test
  void tooManyRequestsRetriedUntilLimit() {
    AtomicInteger calls = new AtomicInteger();

    RegistryException error = assertThrows(RegistryException.class, () ->
        retrier.run(TARGET, "pushing", () -> {
          calls.incrementAndGet();
          throw new RegistryStatusException("pushing failed: HTTP 429", 429);
        }));

    assertEquals(3, calls.get());
    assertEquals(2, events.size());
    assertTrue(error.getMessage().contains("HTTP 429"), error.getMessage());
    assertTrue(error.getMessage().contains("3 attempts"), error.getMessage());
  }

  @Test
  void notFoundNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    RegistryStatusException notFound = new RegistryStatusException("pulling failed: HTTP 404", 404);

    RegistryException error = assertThrows(RegistryException.class, () ->
        retrier.run(TARGET, "pulling", () -> {
          calls.incrementAndGet();
          throw notFound;
        }));

    assertSame(notFound, error);
    assertEquals(1, calls.get());
    assertEquals(0, events.size());
  }

  @Test
  void refusedConnectionNotRetried() {
    AtomicInteger calls = new AtomicInteger();

    RegistryException error = assertThrows(RegistryException.class, () ->
        retrier.run(TARGET, "pulling from 127.0.0.1:9", () -> {
          calls.incrementAndGet();
          throw new ConnectException("Connection refused");
        }));

    assertEquals(1, calls.get());
    assertTrue(error.getMessage().startsWith("pulling from 127.0.0.1:9 failed"), error.getMessage());
  }
}
