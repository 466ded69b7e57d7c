package dev.vestibule.identity.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A clock tests move by hand. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** Starts at the current second, so that rows of several tests sharing a database stay in a sensible order. */
  public static MutableClock startingNow() {
    return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  @Override public Instant instant() { return now; }
  @Override public ZoneId getZone() { return ZoneOffset.UTC; }
  @Override public Clock withZone(ZoneId zone) { return this; }
}
