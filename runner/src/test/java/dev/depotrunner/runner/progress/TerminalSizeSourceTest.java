package dev.depotrunner.runner.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalSizeSourceTest {

  private final ManualClock clock = new ManualClock(Instant.EPOCH);

  /** A size source that returns the sizes a test queued in place of running stty. */
  private static final class QueuedSizes extends TerminalSizeSource {
    final Deque<TerminalSize> answers = new ArrayDeque<>();
    int queries;

    QueuedSizes(ManualClock clock, Map<String, String> environment) {
      super(clock, environment);
    }

    @Override
    TerminalSize querySize() {
      queries++;
      return answers.isEmpty() ? null : answers.removeFirst();
    }
  }

  @Test
  void size_fallsBackToEnvironment() {
    QueuedSizes sizes = new QueuedSizes(clock, Map.of("COLUMNS", "132", "LINES", "43"));

    assertEquals(new TerminalSize(132, 43), sizes.size());
  }

  @Test
  void size_unknownWithoutTerminalOrValidEnvironment() {
    assertNull(new QueuedSizes(clock, Map.of()).size());
    assertNull(new QueuedSizes(clock, Map.of("COLUMNS", "wide", "LINES", "43")).size());
    assertNull(new QueuedSizes(clock, Map.of("COLUMNS", "0", "LINES", "43")).size());
    assertNull(new QueuedSizes(clock, Map.of("COLUMNS", "80")).size());
  }

  @Test
  void size_reusedForOneSecond() {
    QueuedSizes sizes = new QueuedSizes(clock, Map.of());
    sizes.answers.add(new TerminalSize(80, 24));
    sizes.answers.add(new TerminalSize(100, 30));

    assertEquals(new TerminalSize(80, 24), sizes.size());
    clock.advance(Duration.ofMillis(900));
    assertEquals(new TerminalSize(80, 24), sizes.size());
    assertEquals(1, sizes.queries);

    clock.advance(Duration.ofMillis(200));
    assertEquals(new TerminalSize(100, 30), sizes.size());
  }

  @Test
  void size_keepsLastKnownWhenQueryFails() {
    QueuedSizes sizes = new QueuedSizes(clock, Map.of());
    sizes.answers.add(new TerminalSize(80, 24));
    sizes.size();

    clock.advance(Duration.ofSeconds(2));

    assertEquals(new TerminalSize(80, 24), sizes.size());
  }
}
