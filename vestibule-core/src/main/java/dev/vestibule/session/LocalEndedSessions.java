package dev.vestibule.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@link EndedSessions} in this instance's memory; every stage is complete when returned. */
public final class LocalEndedSessions implements EndedSessions {
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  private static final CompletableFuture<Boolean> YES = CompletableFuture.completedFuture(true);
  private static final CompletableFuture<Boolean> NO = CompletableFuture.completedFuture(false);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final ConcurrentHashMap<String, Instant> ended = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Cutoff> endedUsers = new ConcurrentHashMap<>();

  private record Cutoff(Instant before, Instant until) {}
  private final Clock clock;
  private volatile Instant lastSweep;

  public LocalEndedSessions(Clock clock) {
    this.clock = clock;
    this.lastSweep = clock.instant();
  }

  @Override
  public CompletionStage<Void> end(String sessionId, Instant until) {
    Instant now = clock.instant();
    if (until.isAfter(now)) ended.merge(sessionId, until, (a, b) -> a.isAfter(b) ? a : b);
    sweep(now);
    return DONE;
  }

  @Override
  public CompletionStage<Boolean> isEnded(String sessionId, String userId, Instant loggedInAt) {
    return isEndedById(sessionId) || isEndedForUser(userId, loggedInAt) ? YES : NO;
  }

  @Override
  public CompletionStage<Void> endUser(String userId, Instant before, Instant until) {
    endedUsers.merge(userId, new Cutoff(before, until),
        (a, b) -> new Cutoff(a.before.isAfter(b.before) ? a.before : b.before, a.until.isAfter(b.until) ? a.until : b.until));
    sweep(clock.instant());
    return DONE;
  }

  private boolean isEndedById(String sessionId) {
    if (ended.isEmpty()) return false;
    Instant until = ended.get(sessionId);
    return until != null && clock.instant().isBefore(until);
  }

  private boolean isEndedForUser(String userId, Instant loggedInAt) {
    if (endedUsers.isEmpty() || userId == null) return false;
    Cutoff cutoff = endedUsers.get(userId);
    return cutoff != null && loggedInAt.isBefore(cutoff.before) && clock.instant().isBefore(cutoff.until);
  }

  private void sweep(Instant now) {
    if (Duration.between(lastSweep, now).compareTo(SWEEP_EVERY) < 0) return;
    lastSweep = now;
    ended.values().removeIf(until -> !now.isBefore(until));
    endedUsers.values().removeIf(cutoff -> !now.isBefore(cutoff.until));
  }
}
