package dev.vestibule.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** {@link EndedSessions} in this instance's memory. */
public final class LocalEndedSessions implements EndedSessions {
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private final ConcurrentHashMap<String, Instant> ended = new ConcurrentHashMap<>();
  private final Clock clock;
  private volatile Instant lastSweep;

  public LocalEndedSessions(Clock clock) {
    this.clock = clock;
    this.lastSweep = clock.instant();
  }

  @Override
  public void end(String sessionId, Instant until) {
    Instant now = clock.instant();
    if (until.isAfter(now)) ended.merge(sessionId, until, (a, b) -> a.isAfter(b) ? a : b);
    sweep(now);
  }

  @Override
  public boolean isEnded(String sessionId) {
    if (ended.isEmpty()) return false;
    Instant until = ended.get(sessionId);
    return until != null && clock.instant().isBefore(until);
  }

  private void sweep(Instant now) {
    if (Duration.between(lastSweep, now).compareTo(SWEEP_EVERY) < 0) return;
    lastSweep = now;
    ended.values().removeIf(until -> !now.isBefore(until));
  }
}
