package dev.depotrunner.runner.progress;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that tests set and advance. */
final class ManualClock implements InstantSource {

  private Instant now;

  ManualClock(Instant now) {
    this.now = now;
  }

  @Override
  public Instant instant() {
    return now;
  }

  void set(Instant instant) {
    now = instant;
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }
}
